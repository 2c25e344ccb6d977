package io.cortexhub.node.cli;

import io.cortexhub.node.audit.CanonicalJson;
import io.cortexhub.node.consent.ConsentClient;
import io.cortexhub.node.consent.ConsentSocketException;
import io.cortexhub.node.consent.ConsentSocketServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cortex-node approvals}: lists the consent requests waiting for the owner, with the exact
 * argv, working directory and requesting user. {@link Approve} and {@link Deny} answer one. All
 * three talk to the running agent over its owner-only socket.
 */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description = "List the commands and file changes waiting for your approval.")
final class ApprovalsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "The agent's approvals socket, as given to 'run --consent-socket' (default:"
          + " $CORTEX_NODE_CONSENT_SOCKET or ~/.cortex-node/state/consent.sock).")
  Path socket;

  @Option(names = "--json", description = "Print the pending requests as one JSON array.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, Object>> pending;
    try {
      pending = new ConsentClient(socketOrDefault(socket)).list();
    } catch (ConsentSocketException e) {
      return fail(spec, e.getMessage());
    }
    if (json) {
      out.println(CanonicalJson.write(pending));
    } else if (pending.isEmpty()) {
      out.println("No requests are waiting for approval.");
    } else {
      for (Map<String, Object> p : pending) {
        out.println(p.get("id") + "  task " + p.get("taskId") + "  requested by " + p.get("requestedBy")
            + "  denied at " + Instant.ofEpochMilli((Long) p.get("deadlineUnixMs")) + " unless answered");
        out.println("    argv: " + CanonicalJson.write(p.get("argv")));
        out.println("    cwd:  " + p.get("cwd"));
        if (!"".equals(p.get("summary"))) {
          out.println("    what: " + p.get("summary"));
        }
      }
      out.println("Answer with: cortex-node approve ID | cortex-node deny ID");
    }
    out.flush();
    return ExitCodes.OK;
  }

  static Path socketOrDefault(Path socket) {
    return socket != null ? socket : ConsentSocketServer.defaultSocket();
  }

  static int fail(CommandSpec spec, String message) {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
    spec.commandLine().getErr().flush();
    return ExitCodes.FAILURE;
  }

  /** Shared by approve and deny. */
  abstract static class Answer implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The request id, as listed by 'cortex-node approvals'.")
    String id;

    @Option(names = "--socket", paramLabel = "PATH", description = "The agent's approvals socket.")
    Path socket;

    abstract Map<String, Object> send(ConsentClient client, String id);

    @Override
    public Integer call() {
      Map<String, Object> reply;
      try {
        reply = send(new ConsentClient(socketOrDefault(socket)), id);
      } catch (ConsentSocketException e) {
        return fail(spec, e.getMessage());
      }
      if (!Boolean.TRUE.equals(reply.get("ok"))) {
        return fail(spec, String.valueOf(reply.get("error")));
      }
      spec.commandLine().getOut().println(
          String.valueOf(reply.get("verdict")).toLowerCase(java.util.Locale.ROOT) + " " + id + " (task "
              + reply.get("taskId") + ")");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code cortex-node approve ID}. */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a waiting request.")
  static final class Approve extends Answer {
    @Override
    Map<String, Object> send(ConsentClient client, String id) {
      return client.approve(id);
    }
  }

  /** {@code cortex-node deny ID}. */
  @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a waiting request.")
  static final class Deny extends Answer {
    @Override
    Map<String, Object> send(ConsentClient client, String id) {
      return client.deny(id);
    }
  }
}
