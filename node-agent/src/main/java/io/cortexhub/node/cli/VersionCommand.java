package io.cortexhub.node.cli;

import io.cortexhub.node.AgentVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cortex-node version}: prints the agent, protocol and JVM versions. */
@Command(name = "version", description = "Print the agent version and exit.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .println(
            "cortex-node "
                + AgentVersion.current()
                + " (protocol cortex.node.v1, Java "
                + System.getProperty("java.version")
                + ")");
    return ExitCodes.OK;
  }
}
