package io.cortexhub.node.cli;

import io.cortexhub.node.AgentVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code cortex-node} command; it only groups the sub-commands. */
@Command(
    name = "cortex-node",
    mixinStandardHelpOptions = true,
    versionProvider = CortexNodeCommand.Version.class,
    description = "Cortex node agent: connects to a Cortex hub and runs the tasks it assigns.",
    subcommands = {
      EnrollCommand.class, RunCommand.class, SimulateCommand.class, VersionCommand.class,
      AuditCommand.class, PolicyCommand.class,
      ApprovalsCommand.class, ApprovalsCommand.Approve.class, ApprovalsCommand.Deny.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:runtime failure", "2:bad arguments", "3:certificate expired: re-enroll"})
public final class CortexNodeCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing command: enroll, run, simulate or version");
  }

  /** Supplies {@code --version}. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"cortex-node " + AgentVersion.current()};
    }
  }
}
