package io.cortexhub.node.cli;

import io.cortexhub.node.audit.AuditLog;
import io.cortexhub.node.consent.ConsentBroker;
import io.cortexhub.node.consent.ConsentListener;
import io.cortexhub.node.consent.ConsentSocketServer;
import io.cortexhub.node.fs.FsLimits;
import io.cortexhub.node.fs.FsRoot;
import io.cortexhub.node.fs.FsRunner;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.PolicyException;
import io.cortexhub.node.policy.PolicyFile;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.task.ProcessTreeKiller;
import io.cortexhub.node.task.ShellRunner;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.node.tunnel.AuditLogTrail;
import io.cortexhub.node.tunnel.CheckpointRelay;
import io.cortexhub.node.tunnel.CurrentKeySigner;
import io.cortexhub.node.tunnel.ProtectedPaths;
import io.cortexhub.node.tunnel.TaskControls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The execution engine of {@code cortex-node run}, wired from its options: the owner's policy, the
 * machine's isolation, the audit log (signed with the node certificate's current key), the consent
 * broker and its owner-only socket, the runners ({@code fs} only when the policy has workspace
 * roots) and the {@link TaskControls} the agent enforces with them.
 *
 * <p>Opened once after the node's credentials are loaded; {@link #close()} (after the agent has
 * stopped) closes the socket, withdraws what still waits for consent, and closes the audit log,
 * which writes a final checkpoint. Not thread-safe; used by the command's main thread.
 */
final class ExecutionSetup implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ExecutionSetup.class.getName());

  /** Where the policy came from, and what it says. */
  record LoadedPolicy(NodePolicy policy, Optional<Path> file) {
    String source() {
      return file.map(Path::toString).orElse("built-in defaults (no policy file)");
    }
  }

  /** The paths of the node's own files, as the options resolved them. */
  record NodeFiles(Path stateDir, Path auditLog, Path consentSocket) {}

  final LoadedPolicy policy;
  final IsolationReport isolation;
  final ProtectedPaths protectedPaths;
  final CheckpointRelay relay = new CheckpointRelay();
  final AuditLogTrail audit;
  final ConsentBroker broker;
  final ConsentSocketServer socket;
  final List<TaskRunner> runners;
  final TaskControls controls;

  /**
   * Opens the audit log and the consent socket, and builds runners and controls.
   *
   * @param consentListener hears the broker (the terminal prompt of {@code run --prompt}), or {@link
   *     ConsentListener#NONE}
   */
  ExecutionSetup(
      LoadedPolicy policy,
      IsolationReport isolation,
      ProtectedPaths protectedPaths,
      NodeFiles files,
      Supplier<PrivateKey> nodeKey,
      int checkpointEvery,
      Duration consentTimeout,
      ConsentListener consentListener,
      Clock clock,
      ScheduledExecutorService timers,
      ExecutorService io,
      SecureRandom random) {
    this.policy = policy;
    this.isolation = isolation;
    this.protectedPaths = protectedPaths;
    this.audit = new AuditLogTrail(AuditLog.open(files.auditLog(), new CurrentKeySigner(nodeKey), checkpointEvery, clock, relay));
    try {
      this.broker = new ConsentBroker(clock, timers, consentTimeout, random, consentListener);
      this.socket = new ConsentSocketServer(files.consentSocket(), broker, io);
      socket.start();
      NodePolicy p = policy.policy();
      List<TaskRunner> rs = new ArrayList<>();
      rs.add(new EchoRunner(clock));
      rs.add(new ShellRunner(clock, timers, io, random, new ProcessTreeKiller(), p, isolation,
          QuotaController.forReport(isolation), protectedPaths.paths()));
      if (!p.workspaceRoots().isEmpty()) {
        List<FsRoot> roots = p.workspaceRoots().stream().map(r -> new FsRoot(r.path(), r.writable())).toList();
        rs.add(new FsRunner(roots, FsLimits.DEFAULTS, audit.fileChanges(), clock, io));
      }
      this.runners = List.copyOf(rs);
      this.controls = TaskControls.enforcing(p, isolation, broker, protectedPaths, audit);
    } catch (RuntimeException e) {
      audit.close();
      throw e;
    }
  }

  /**
   * The policy of {@code --policy}, else of {@link PolicyFile#DEFAULT_LOCATION} if that file
   * exists, else {@link PolicyFile#defaults()}.
   *
   * @throws PolicyException naming the file, line and key of what is wrong
   */
  static LoadedPolicy loadPolicy(Path given) {
    if (given != null) {
      Path file = given.toAbsolutePath();
      return new LoadedPolicy(PolicyFile.load(file), Optional.of(realOr(file)));
    }
    if (Files.exists(PolicyFile.DEFAULT_LOCATION)) {
      return new LoadedPolicy(PolicyFile.load(PolicyFile.DEFAULT_LOCATION), Optional.of(realOr(PolicyFile.DEFAULT_LOCATION)));
    }
    return new LoadedPolicy(PolicyFile.defaults(), Optional.empty());
  }

  /**
   * The paths tasks must never reach, checked against the policy and the work directory.
   *
   * @throws IllegalStateException if one lies in a writable workspace root, or task directories
   *     would lie inside one
   */
  static ProtectedPaths protect(LoadedPolicy policy, NodeFiles files, Path taskDirs) {
    List<Path> paths = new ArrayList<>();
    policy.file().ifPresent(paths::add);
    paths.add(files.stateDir());
    paths.add(files.auditLog());
    paths.add(files.consentSocket());
    ProtectedPaths p = ProtectedPaths.of(paths);
    p.requireOutside(policy.policy().workspaceRoots());
    p.covering(taskDirs).ifPresent(hit -> {
      throw new IllegalStateException("task directories under " + taskDirs + " would lie inside " + hit
          + ", which tasks must never reach: choose a --work-dir outside it");
    });
    return p;
  }

  /** One line for the start-up log. */
  String describe() {
    NodePolicy p = policy.policy();
    return "policy " + policy.source() + " (sha256 " + p.digest().substring(0, 12) + "…, consent "
        + p.consentMode().wireName() + ", " + p.commands().size() + " command rule(s), " + p.workspaceRoots().size()
        + " workspace root(s)), " + isolation.describe() + ", audit log " + audit.log().file() + " ("
        + audit.log().size() + " records), approvals socket " + socket.socket();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot close the approvals socket", e);
    }
    broker.close();
    audit.close();
  }

  private static Path realOr(Path p) {
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
