package io.cortexhub.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A real {@code cortex-node run} process attached to a hub, as an operator would start it. */
public final class NodeProcess implements AutoCloseable {
  private final String name;
  private final ManagedProcess process;

  private NodeProcess(String name, ManagedProcess process) {
    this.name = name;
    this.process = process;
  }

  /** Starts a node that trusts the hub's generated CA file and works under {@code workDir}. */
  public static NodeProcess start(
      HubProcess hub, String name, Map<String, String> labels, int maxTasks, Path workDir) {
    List<String> command = new ArrayList<>();
    command.add(HubProcess.javaBinary());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(Artifacts.nodeJar().toString());
    command.add("run");
    command.addAll(List.of("--hub", hub.tunnelAddress(), "--name", name));
    command.addAll(List.of("--ca-file", hub.caFile().toString()));
    command.addAll(List.of("--max-tasks", Integer.toString(maxTasks)));
    command.addAll(List.of("--work-dir", workDir.resolve("work").toString()));
    if (!labels.isEmpty()) {
      command.add("--labels");
      command.add(
          labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    }
    return new NodeProcess(
        name, ManagedProcess.start("node " + name, command, Map.of(), workDir, workDir.resolve("node.log")));
  }

  public String name() {
    return name;
  }

  public ManagedProcess process() {
    return process;
  }

  /** SIGKILL, as when the machine's OOM killer or a power cut takes the agent. */
  public void kill() {
    process.kill();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }
}
