package io.cortexhub.node.cli;

/** Process exit codes of {@code cortex-node}. */
public final class ExitCodes {
  /** Normal end (drained by the hub, or the simulation's duration elapsed). */
  public static final int OK = 0;

  /** A runtime failure after the arguments were accepted. */
  public static final int FAILURE = 1;

  /** Bad arguments: a one-line message on stderr says which. */
  public static final int USAGE = 2;

  /**
   * The node certificate has expired (offline, or unable to renew, past its lifetime): the node must
   * be enrolled again with a new join token. Supervisors should not simply restart it.
   */
  public static final int REENROLL = 3;

  private ExitCodes() {}
}
