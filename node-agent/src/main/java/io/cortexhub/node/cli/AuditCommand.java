package io.cortexhub.node.cli;

import io.cortexhub.node.audit.AuditVerifier;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.audit.PublicKeyPem;
import io.cortexhub.node.audit.VerificationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cortex-node audit}: tools for the node's audit log; today {@code verify}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Inspect the node's tamper-evident audit log.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: verify");
  }

  /**
   * {@code cortex-node audit verify --log FILE [--public-key PEM] [--checkpoints JSON]}: exit 0 if
   * the log is intact, 1 naming the first bad line if not, 2 for bad arguments.
   */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check an audit log for edited, deleted, reordered or inserted records, in-log checkpoints",
        "against their records and (with --public-key) their signatures, and (with --checkpoints)",
        "that the log still holds everything the hub saw: a truncated or rewritten tail."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:the log verified", "1:the log failed verification (first bad line printed)", "2:bad arguments"})
  static final class Verify implements Callable<Integer> {
    private static final int MORE_SHOWN = 9;

    @Spec CommandSpec spec;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "The audit log (JSON lines).")
    Path log;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description = "The node's public key or certificate (PEM): checks every checkpoint signature.")
    Path publicKey;

    @Option(
        names = "--checkpoints",
        paramLabel = "JSON",
        description = "The hub's stored checkpoints for this node: a JSON array of {treeSize, rootHash,"
            + " lastRecordHash, createdAtUnixMs, signature, algorithm}.")
    Path checkpoints;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(log)) {
        throw new ParameterException(spec.commandLine(), "--log: no such file: " + log);
      }
      Optional<PublicKey> key = Optional.empty();
      if (publicKey != null) {
        try {
          key = Optional.of(PublicKeyPem.read(publicKey));
        } catch (IllegalArgumentException | UncheckedIOException e) {
          throw new ParameterException(spec.commandLine(), "--public-key: " + publicKey + ": " + e.getMessage());
        }
      }
      List<Checkpoint> hub = List.of();
      if (checkpoints != null) {
        try {
          hub = Checkpoint.parseList(Files.readString(checkpoints, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new ParameterException(spec.commandLine(), "--checkpoints: cannot read " + checkpoints + ": " + e);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--checkpoints: " + checkpoints + ": " + e.getMessage());
        }
      }
      VerificationReport report = new AuditVerifier(key, hub).verify(log);
      PrintWriter out = spec.commandLine().getOut();
      if (report.ok()) {
        out.println("OK: " + log + ": " + report.records() + " records, " + report.logCheckpoints()
            + " checkpoints in the log, " + report.hubCheckpoints() + " hub checkpoints matched; "
            + (report.signaturesChecked() ? "signatures verified" : "signatures NOT verified (no --public-key)"));
        out.flush();
        return ExitCodes.OK;
      }
      out.println("FAILED: " + log + ": first bad record at " + report.firstProblem().orElseThrow());
      List<VerificationReport.Problem> rest = report.problems().subList(1, report.problems().size());
      rest.stream().limit(MORE_SHOWN).forEach(p -> out.println("  then " + p));
      if (rest.size() > MORE_SHOWN) {
        out.println("  ... and " + (rest.size() - MORE_SHOWN) + " more problems");
      }
      out.flush();
      return ExitCodes.FAILURE;
    }
  }
}
