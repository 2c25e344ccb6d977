package io.cortexhub.hub.dispatch;

/** What a task does; each kind needs the node capability of the same name. */
public enum TaskKind {
  /** The node sends the message back as output: for tests, probes and benchmarks. */
  ECHO("echo"),
  /** Run a process from an argv. */
  SHELL("shell"),
  /** One file operation confined to the node's workspace roots ({@link FsOperation}). */
  FS("fs");

  private final String capability;

  TaskKind(String capability) {
    this.capability = capability;
  }

  /** Name of the node capability this kind needs. */
  public String capability() {
    return capability;
  }
}
