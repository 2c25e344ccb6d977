package io.cortexhub.node.cli;

import io.cortexhub.node.consent.ConsentPolicy;
import io.cortexhub.node.consent.SafeCommandClassifier;
import io.cortexhub.node.policy.CommandGate;
import io.cortexhub.node.policy.CommandVerdict;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.WorkspaceRoot;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.SandboxLauncher;
import io.cortexhub.proto.node.v1.ShellPayload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cortex-node policy}: the owner's tools for the local policy; today {@code check}. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Check the node owner's local policy before the agent runs with it.",
    subcommands = PolicyCommand.Check.class)
final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: check");
  }

  /**
   * {@code cortex-node policy check [--policy FILE] [--without P] [-- ARGV...]}: reads the policy as
   * {@code run} would, says what this machine gives it, and — given an argv — whether a task with that
   * argv would run, and whether it would ask the owner first. Nothing is run.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Read the policy as 'run' would and say what it allows on this machine: the isolation it gets, and",
        "whether every shell task would be refused because the machine offers less than minimumIsolation.",
        "With an argv after --, also whether a task with exactly that argv would run and whether it would",
        "ask the owner first. Nothing is run."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:the policy is valid (and the argv, if given, would run)",
        "1:shell tasks, or this argv, would be refused (the reason is printed)",
        "2:bad arguments, or a policy that does not load (file, line and key printed)"
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LocalPolicyOptions localPolicy;

    @Parameters(
        paramLabel = "ARGV",
        arity = "0..*",
        description = "A task's argv (after --): argv[0] as the hub would send it, resolved as the agent would.")
    List<String> argv = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ExecutionSetup.LoadedPolicy loaded = localPolicy.load(spec);
      NodePolicy p = loaded.policy();
      IsolationReport machine = localPolicy.probe();
      out.println("policy " + loaded.source() + " (sha256 " + p.digest() + ")");
      out.println("  consent " + p.consentMode().wireName() + ", network " + (p.networkAllowed() ? "on" : "off")
          + ", run as " + p.runAsUser().orElse("the agent's own user") + ", minimum isolation "
          + p.minimumIsolation().wireName() + ", " + p.commands().size() + " command rule(s)");
      out.println("  workspace roots: " + (p.workspaceRoots().isEmpty() ? "none (no fs capability)"
          : p.workspaceRoots().stream().map(PolicyCommand::describe).collect(Collectors.joining(", "))));
      out.println("this machine: " + machine.describe());
      SandboxLauncher launcher;
      try {
        launcher = new SandboxLauncher(machine, p);
      } catch (IllegalArgumentException e) {
        out.println("REFUSED: every shell task: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
      Optional<String> refusal = launcher.refusal();
      if (refusal.isPresent()) {
        out.println("REFUSED: every shell task: " + refusal.get());
        return ExitCodes.FAILURE;
      }
      if (argv.isEmpty()) {
        out.println("OK: shell tasks run at isolation " + launcher.level().wireName());
        return ExitCodes.OK;
      }
      return checkArgv(out, p, launcher);
    }

    private int checkArgv(PrintWriter out, NodePolicy p, SandboxLauncher launcher) {
      Path scratch;
      try {
        scratch = Files.createTempDirectory("cortex-policy-check");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a scratch task directory", e);
      }
      try {
        CommandVerdict verdict = new CommandGate(p).check(ShellPayload.newBuilder().addAllArgv(argv).build(), scratch);
        if (verdict instanceof CommandVerdict.Refused r) {
          out.println("REFUSED: " + r.reason());
          return ExitCodes.FAILURE;
        }
        CommandVerdict.Allowed allowed = (CommandVerdict.Allowed) verdict;
        SafeCommandClassifier classifier = new SafeCommandClassifier(
            p.workspaceRoots().stream().map(WorkspaceRoot::path).toList());
        boolean asks = new ConsentPolicy(classifier).needsConsent(p.consentMode(), allowed.argv());
        out.println("ALLOWED: " + allowed.argv() + " at isolation " + launcher.level().wireName() + "; "
            + (asks ? "the owner is asked first (consent " + p.consentMode().wireName() + ")"
                : "runs without asking (consent " + p.consentMode().wireName() + ")"));
        return ExitCodes.OK;
      } finally {
        try {
          Files.deleteIfExists(scratch);
        } catch (IOException e) {
          // A leftover empty temp directory harms nothing.
        }
      }
    }
  }

  private static String describe(WorkspaceRoot r) {
    return r.path() + (r.writable() ? " (read-write)" : " (read-only)");
  }
}
