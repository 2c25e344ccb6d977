package io.cortexhub.node.tunnel;

import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.consent.ConsentRequest;
import io.cortexhub.node.consent.FsOperation;
import io.cortexhub.node.policy.CommandGate;
import io.cortexhub.node.policy.CommandVerdict;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's own checks on an admitted task, before it takes a slot: may the owner's policy run it
 * at all, does it name a path the agent protects, and must the owner be asked.
 *
 * <p>Shell: the machine must offer the policy's minimum isolation, {@link CommandGate} must allow
 * argv (resolving argv[0] to its real path, which is what the owner is shown and what runs), and
 * neither the working directory nor any argument may name a {@link ProtectedPaths protected path}.
 * File operations: no path may name a protected path, and none that changes or lists recursively
 * may contain one; everything else about confinement is the fs runner's. The consent question is
 * built from exactly what will run. Echo needs nothing.
 *
 * <p>Blocking but short (path resolution; a shell task's directory is created here, because the
 * gate resolves the working directory from it). Thread-safe.
 */
final class TaskPreflight {
  /** What the preflight decided. */
  sealed interface Verdict {
    /**
     * The task may take a slot; if {@code consent} is present, only once the owner says yes.
     *
     * @param what what will run: the resolved argv, or {@code fs:<op>} and its absolute paths; empty
     *     when nothing was checked (echo, unchecked controls)
     * @param cwd the shell task's working directory (real path), or empty
     */
    record Cleared(Optional<ConsentRequest> consent, List<String> what, String cwd) implements Verdict {
      public Cleared {
        what = List.copyOf(what);
      }
    }

    /**
     * Refused as POLICY: {@code auditType} is {@code policy.refused}, or {@code
     * policy.change-refused} when the task reached for what controls the agent itself.
     */
    record Refused(String auditType, String reason, Map<String, Object> fields) implements Verdict {}
  }

  private static final Verdict.Cleared NOTHING_TO_ASK = new Verdict.Cleared(Optional.empty(), List.of(), "");

  private final TaskControls controls;
  private final Optional<CommandGate> gate;

  TaskPreflight(TaskControls controls) {
    this.controls = Objects.requireNonNull(controls, "controls");
    this.gate = controls.policy().map(CommandGate::new);
  }

  Verdict check(TaskSpec spec, Path taskDir) {
    if (controls.policy().isEmpty()) {
      return NOTHING_TO_ASK;
    }
    return switch (spec.getPayloadCase()) {
      case SHELL -> checkShell(spec, taskDir);
      case FS -> checkFs(spec, controls.policy().get());
      default -> NOTHING_TO_ASK;
    };
  }

  private Verdict checkShell(TaskSpec spec, Path taskDir) {
    List<String> argv = spec.getShell().getArgvList();
    if (controls.machineRefusal().isPresent()) {
      String reason = "refused: " + controls.machineRefusal().get();
      return new Verdict.Refused(AuditTypes.POLICY_REFUSED, reason, fields("reason", reason, "argv", AuditFields.argv(argv)));
    }
    try {
      Files.createDirectories(taskDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      String reason = "cannot create the task directory " + taskDir + ": " + e.getMessage();
      return new Verdict.Refused(AuditTypes.POLICY_REFUSED, reason, fields("reason", reason, "argv", AuditFields.argv(argv)));
    }
    CommandVerdict v = gate.orElseThrow().check(spec.getShell(), taskDir);
    if (v instanceof CommandVerdict.Refused r) {
      return new Verdict.Refused(AuditTypes.POLICY_REFUSED, r.reason(), fields("reason", r.reason(), "argv", AuditFields.argv(argv)));
    }
    CommandVerdict.Allowed allowed = (CommandVerdict.Allowed) v;
    Path cwd = allowed.workingDir();
    List<Path> named = new ArrayList<>();
    named.add(cwd);
    for (String arg : allowed.argv()) {
      pathIn(arg, cwd).ifPresent(named::add);
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        pathIn(arg.substring(eq + 1), cwd).ifPresent(named::add);
      }
    }
    for (Path p : named) {
      Optional<Path> hit = controls.protectedPaths().covering(p);
      if (hit.isPresent()) {
        String reason = "the command names " + p + ", which belongs to the agent itself (" + hit.get()
            + "); tasks can neither read nor change the agent's policy, state, audit log or consent socket";
        return new Verdict.Refused(AuditTypes.POLICY_CHANGE_REFUSED, reason,
            fields("what", "shell argument " + p, "protected", hit.get().toString(), "reason", reason,
                "argv", AuditFields.argv(allowed.argv())));
      }
    }
    Optional<ConsentRequest> ask = Optional.empty();
    if (controls.consentPolicy().needsConsent(controls.consentMode(), allowed.argv())) {
      ask = Optional.of(new ConsentRequest(spec.getTaskId(), allowed.argv(), cwd.toString(), spec.getRequestedBy(), ""));
    }
    return new Verdict.Cleared(ask, allowed.argv(), cwd.toString());
  }

  private Verdict checkFs(TaskSpec spec, NodePolicy policy) {
    FsPayload fs = spec.getFs();
    if (fs.getOpCase() == FsPayload.OpCase.OP_NOT_SET) {
      return NOTHING_TO_ASK; // the runner fails it with its own detail
    }
    FsOperation op = FsOperation.of(fs.getOpCase());
    String name = fs.getOpCase().name().toLowerCase(Locale.ROOT);
    boolean reachesBelow = op.changesState() || (op == FsOperation.LIST && fs.getList().getRecursive());
    List<Path> paths = new ArrayList<>();
    for (String s : FsSummary.paths(fs)) {
      resolveFs(s, policy).ifPresent(paths::add);
    }
    for (Path p : paths) {
      Optional<Path> hit = controls.protectedPaths().covering(p);
      if (hit.isEmpty() && reachesBelow) {
        hit = controls.protectedPaths().inside(p);
      }
      if (hit.isPresent()) {
        String reason = "fs " + name + " of " + p + " reaches " + hit.get()
            + ", which belongs to the agent itself; tasks can neither read nor change the agent's policy, state,"
            + " audit log or consent socket";
        String type = op.changesState() ? AuditTypes.POLICY_CHANGE_REFUSED : AuditTypes.POLICY_REFUSED;
        return new Verdict.Refused(type, reason,
            fields("what", "fs " + name + " " + p, "path", p.toString(), "protected", hit.get().toString(), "reason", reason));
      }
    }
    List<String> what = new ArrayList<>();
    what.add("fs:" + name);
    paths.forEach(p -> what.add(p.toString()));
    Optional<ConsentRequest> ask = Optional.empty();
    if (controls.consentPolicy().needsConsent(controls.consentMode(), op)) {
      ask = Optional.of(new ConsentRequest(spec.getTaskId(), what, "", spec.getRequestedBy(), FsSummary.describe(fs, paths)));
    }
    return new Verdict.Cleared(ask, what, "");
  }

  /** A path as the fs runner reads it: absolute as given, relative from the first root. */
  private static Optional<Path> resolveFs(String s, NodePolicy policy) {
    if (s.isEmpty() || s.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    try {
      Path p = Path.of(s);
      if (p.isAbsolute()) {
        return Optional.of(p.normalize());
      }
      if (policy.workspaceRoots().isEmpty()) {
        return Optional.empty(); // the runner refuses it: no roots
      }
      return Optional.of(policy.workspaceRoots().get(0).path().resolve(p).normalize());
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** An argument read as a path from the working directory, if it can be one. */
  private static Optional<Path> pathIn(String arg, Path cwd) {
    if (arg.isEmpty() || arg.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(cwd.resolve(arg).normalize());
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static Map<String, Object> fields(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
