package io.cortexhub.node.cli;

import io.cortexhub.node.identity.CredentialsExpiredException;
import picocli.CommandLine;

/** Entry point of the runnable jar: {@code java -jar cortex-node.jar <command> ...}. */
public final class Main {
  static {
    // Before any class touches java.util.logging: keep logging alive during shutdown hooks.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "io.cortexhub.node.logging.AgentLogManager");
    }
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CortexNodeCommand());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr()
              .println(
                  cmd.getCommandSpec().qualifiedName()
                      + ": "
                      + ex.getMessage()
                      + " (see '"
                      + cmd.getCommandSpec().qualifiedName()
                      + " --help')");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("cortex-node: error: " + ex.getMessage());
          cmd.getErr().flush();
          return ex instanceof CredentialsExpiredException ? ExitCodes.REENROLL : ExitCodes.FAILURE;
        });
    return cl;
  }
}
