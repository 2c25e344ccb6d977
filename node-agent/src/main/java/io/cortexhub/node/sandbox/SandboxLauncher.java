package io.cortexhub.node.sandbox;

import io.cortexhub.node.policy.CommandVerdict;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.WorkspaceRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Wraps a verified argv in the isolation the machine offers ({@link IsolationReport#level()}):
 *
 * <ul>
 *   <li>{@code bubblewrap}: {@code bwrap} as root <em>without</em> a user namespace (a namespace
 *       root maps to real root outside), new mount, PID, IPC, UTS and cgroup namespaces, an empty
 *       network namespace unless the policy allows network, the system ({@code /usr}, {@code /etc},
 *       {@code /bin}, {@code /lib*}) read-only, the workspace roots read-only or read-write as the
 *       policy says, the task's own directory read-write, its own {@code /tmp}, {@code
 *       --die-with-parent}, {@code --clearenv}; inside, {@code setpriv} drops to the run-as user.
 *   <li>{@code unshare}: the same namespaces without the file system view, then {@code setpriv}.
 *   <li>{@code setpriv}: the privilege drop only.
 *   <li>{@code none}: the argv as is.
 * </ul>
 *
 * Every level starts through {@code setsid} (own session and process group) and the task's quota
 * ({@link TaskQuota#wrap}). Immutable; thread-safe.
 */
public final class SandboxLauncher {
  private static final List<String> SYSTEM_PATHS =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc");

  private final IsolationReport report;
  private final NodePolicy policy;
  private final Optional<RunAs> runAs;
  private final Optional<Path> setsid;
  private final List<Path> hidden;

  /**
   * @throws IllegalArgumentException if the policy's run-as user does not exist here
   */
  public SandboxLauncher(IsolationReport report, NodePolicy policy) {
    this(report, policy, List.of());
  }

  /**
   * @param hidden the agent's own files (policy file, state directory, audit log, consent socket):
   *     where a directory bound into the bubblewrap sandbox holds one, it is covered — a directory
   *     by an empty tmpfs, anything else by {@code /dev/null} on a nodev mount (opening it fails) —
   *     so no task reads it, whoever it runs as
   * @throws IllegalArgumentException if the policy's run-as user does not exist here
   */
  public SandboxLauncher(IsolationReport report, NodePolicy policy, List<Path> hidden) {
    this.report = Objects.requireNonNull(report, "report");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.hidden = List.copyOf(hidden);
    this.runAs = policy.runAsUser().map(RunAs::resolve);
    this.setsid = List.of("/usr/bin/setsid", "/bin/setsid").stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /** The level every task gets. */
  public IsolationLevel level() {
    return report.level();
  }

  /** The user tasks run as, when the level drops privileges (root agent, {@code setpriv} or better). */
  public Optional<RunAs> runAs() {
    return report.root() && report.level().isAtLeast(IsolationLevel.SETPRIV) ? runAs : Optional.empty();
  }

  /**
   * Why no task may run at all under this policy on this machine, if so: the machine offers less
   * isolation than the owner's minimum ("refuse to run rather than run weaker"), or the policy asks
   * for a user switch the agent cannot make.
   */
  public Optional<String> refusal() {
    if (!report.level().isAtLeast(policy.minimumIsolation())) {
      return Optional.of("the policy requires isolation " + policy.minimumIsolation().wireName()
          + " but this machine offers only " + report.level().wireName()
          + (report.notes().isEmpty() ? "" : " (" + String.join("; ", report.notes()) + ")"));
    }
    if (runAs.isPresent() && !report.root()) {
      return Optional.of("the policy runs tasks as " + runAs.get().name()
          + " but the agent is not root and cannot switch users; set runAs: agent or run the agent as root");
    }
    if (runAs.isPresent() && !report.level().isAtLeast(IsolationLevel.SETPRIV)) {
      return Optional.of("the policy runs tasks as " + runAs.get().name()
          + " but setpriv is not available here, so the user cannot be switched");
    }
    return Optional.empty();
  }

  /**
   * Why tasks, run as another user, could not reach directories under {@code taskDirs} by path, if
   * so: a parent the run-as user may not search (the default work directory below a 0700 {@code
   * /root}, say). The working directory still works (the agent enters it before dropping privileges),
   * but {@code $HOME} and {@code $TMPDIR} point there by absolute path. Bubblewrap builds its own view
   * of the parents, so only the lower levels can have this problem.
   */
  public Optional<String> taskDirsUnreachable(Path taskDirs) {
    Optional<RunAs> user = runAs();
    if (user.isEmpty() || report.level() == IsolationLevel.BUBBLEWRAP) {
      return Optional.empty();
    }
    Path abs = taskDirs.toAbsolutePath().normalize();
    for (Path dir = abs.getParent(); dir != null; dir = dir.getParent()) {
      if (!Files.isDirectory(dir)) {
        continue; // created by the agent later, and then searchable
      }
      try {
        Set<PosixFilePermission> perms = Files.readAttributes(dir, PosixFileAttributes.class).permissions();
        int owner = (Integer) Files.getAttribute(dir, "unix:uid");
        int group = (Integer) Files.getAttribute(dir, "unix:gid");
        boolean searchable = perms.contains(PosixFilePermission.OTHERS_EXECUTE)
            || (owner == user.get().uid() && perms.contains(PosixFilePermission.OWNER_EXECUTE))
            || (group == user.get().gid() && perms.contains(PosixFilePermission.GROUP_EXECUTE));
        if (!searchable) {
          return Optional.of("tasks run as " + user.get().name() + " cannot reach their own directories under "
              + abs + " by path (" + dir + " is mode " + PosixFilePermissions.toString(perms)
              + "), so $HOME and $TMPDIR are unusable at isolation " + report.level().wireName()
              + ": choose a --work-dir whose parents others may search, such as /var/lib/cortex-node");
        }
      } catch (IOException | UnsupportedOperationException e) {
        return Optional.empty(); // not a POSIX file system: nothing to judge
      }
    }
    return Optional.empty();
  }

  /**
   * Creates the task's directory and its {@code .tmp}, owned by the run-as user and closed to
   * everyone else (mode 0700).
   */
  public void prepareTaskDir(Path taskDir) throws IOException {
    Path tmp = taskDir.resolve(".tmp");
    Files.createDirectories(tmp);
    for (Path p : List.of(taskDir, tmp)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
      Optional<RunAs> user = runAs();
      if (user.isPresent()) {
        Files.setAttribute(p, "unix:uid", user.get().uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", user.get().gid(), LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  /**
   * The command that runs {@code allowed} confined.
   *
   * @param taskDir the task's own directory (real path), shown read-write inside the sandbox
   * @param extraEnv variables the agent itself adds (the kill marker); they reach the wrappers too
   */
  public LaunchPlan plan(CommandVerdict.Allowed allowed, Path taskDir, TaskQuota quota, Map<String, String> extraEnv) {
    Map<String, String> env = new LinkedHashMap<>(allowed.env());
    env.putAll(extraEnv);
    List<String> inner = new ArrayList<>();
    Map<String, String> processEnv = env;
    switch (report.level()) {
      case NONE -> inner.addAll(allowed.argv());
      case SETPRIV -> {
        inner.addAll(setpriv());
        inner.addAll(allowed.argv());
      }
      case UNSHARE -> {
        inner.add(tool(Primitive.UNSHARE));
        inner.addAll(unshareOptions(report.root(), policy.networkAllowed()));
        inner.add("--");
        inner.addAll(setpriv());
        inner.addAll(allowed.argv());
      }
      case BUBBLEWRAP -> {
        inner.add(tool(Primitive.BUBBLEWRAP));
        inner.addAll(bwrapOptions(allowed, taskDir, env));
        inner.add("--");
        inner.addAll(setpriv());
        inner.addAll(allowed.argv());
        // bwrap itself needs nothing; the marker lets the agent find it too.
        processEnv = new LinkedHashMap<>(extraEnv);
        processEnv.put("PATH", "/usr/bin:/bin");
      }
    }
    List<String> command = new ArrayList<>();
    setsid.ifPresent(s -> command.add(s.toString()));
    command.addAll(quota.wrap(inner));
    boolean pidNamespace = report.level() == IsolationLevel.BUBBLEWRAP || report.level() == IsolationLevel.UNSHARE;
    return new LaunchPlan(command, processEnv, allowed.workingDir(), pidNamespace);
  }

  /** Whether the first process gets a process group of its own (setsid is installed). */
  public boolean ownProcessGroup() {
    return setsid.isPresent();
  }

  private List<String> setpriv() {
    List<String> out = new ArrayList<>();
    out.add(tool(Primitive.SETPRIV));
    Optional<RunAs> user = runAs();
    if (user.isPresent()) {
      out.add("--reuid=" + user.get().uid());
      out.add("--regid=" + user.get().gid());
      out.add("--clear-groups");
      out.add("--inh-caps=-all");
      out.add("--bounding-set=-all");
    }
    // setuid programs (sudo, su, ping) must not give back what was dropped.
    out.add("--no-new-privs");
    out.add("--");
    return out;
  }

  private String tool(Primitive p) {
    return report.tool(p).orElseThrow(() -> new IllegalStateException(p + " is not available")).toString();
  }

  static List<String> unshareOptions(boolean root, boolean network) {
    List<String> out = new ArrayList<>(List.of("--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--ipc", "--uts"));
    if (!network) {
      out.add("--net");
    }
    if (!root) {
      out.addAll(List.of("--user", "--map-current-user"));
    }
    return out;
  }

  static List<String> bwrapNamespaceOptions(boolean root, boolean network) {
    List<String> out = new ArrayList<>(List.of("--die-with-parent", "--new-session", "--unshare-pid",
        "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "cortex-task"));
    if (!network) {
      out.add("--unshare-net");
    }
    if (!root) {
      // Unprivileged bwrap needs a user namespace; the task keeps the agent's own uid.
      out.add("--unshare-user");
    }
    return out;
  }

  /** Read-only system directories; a top-level symlink (merged /usr) is recreated as a symlink. */
  static List<String> systemBinds() {
    List<String> out = new ArrayList<>();
    for (String s : SYSTEM_PATHS) {
      Path p = Path.of(s);
      if (Files.isSymbolicLink(p)) {
        try {
          out.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), s));
        } catch (IOException e) {
          // Unreadable link: leave it out; the sandbox then simply lacks it.
        }
      } else if (Files.isDirectory(p)) {
        out.addAll(List.of("--ro-bind", s, s));
      }
    }
    return out;
  }

  private List<String> bwrapOptions(CommandVerdict.Allowed allowed, Path taskDir, Map<String, String> env) {
    List<String> out = new ArrayList<>(bwrapNamespaceOptions(report.root(), policy.networkAllowed()));
    out.addAll(systemBinds());
    // Mounts apply in order: the fresh /tmp first, then everything that may lie below it.
    out.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"));
    Set<Path> made = new HashSet<>();
    for (Path p : policy.readOnlyPaths()) {
      out.addAll(skeleton(p, made));
      out.addAll(List.of("--ro-bind", p.toString(), p.toString()));
    }
    if (policy.networkAllowed()) {
      resolvConfOutsideEtc().ifPresent(p -> out.addAll(List.of("--ro-bind-try", p.toString(), p.toString())));
    }
    // Parents first: a read-only root inside a writable one stays read-only, and the other way round.
    List<WorkspaceRoot> roots = new ArrayList<>(policy.workspaceRoots());
    roots.sort(Comparator.comparingInt(r -> r.path().getNameCount()));
    for (WorkspaceRoot r : roots) {
      out.addAll(skeleton(r.path(), made));
      out.addAll(List.of(r.writable() ? "--bind" : "--ro-bind", r.path().toString(), r.path().toString()));
    }
    Path exe = allowed.executable();
    if (!visible(exe, taskDir)) {
      out.addAll(skeleton(exe, made));
      out.addAll(List.of("--ro-bind", exe.toString(), exe.toString()));
    }
    out.addAll(masks());
    out.addAll(skeleton(taskDir, made));
    out.addAll(List.of("--bind", taskDir.toString(), taskDir.toString()));
    out.addAll(List.of("--chdir", allowed.workingDir().toString(), "--clearenv"));
    env.forEach((k, v) -> out.addAll(List.of("--setenv", k, v)));
    return out;
  }

  /** Covers each hidden path that a bind above made visible (after those binds: order matters). */
  private List<String> masks() {
    List<String> out = new ArrayList<>();
    for (Path h : hidden) {
      Path real;
      try {
        real = h.toRealPath();
      } catch (IOException e) {
        continue; // absent: nothing to cover
      }
      boolean shown = SYSTEM_PATHS.stream().map(Path::of).anyMatch(real::startsWith)
          || policy.readOnlyPaths().stream().anyMatch(real::startsWith)
          || policy.workspaceRoots().stream().anyMatch(r -> r.contains(real));
      if (!shown) {
        continue;
      }
      if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        out.addAll(List.of("--tmpfs", real.toString()));
      } else {
        out.addAll(List.of("--ro-bind", "/dev/null", real.toString()));
      }
    }
    return out;
  }

  /**
   * {@code --dir} for each ancestor of a mount point: left to itself bwrap copies the host
   * ancestors' modes, and a 0700 root-owned parent (a private temp directory, {@code /root}) would
   * make the mount unreachable for the unprivileged task. The skeleton is empty directories only.
   */
  private static List<String> skeleton(Path target, Set<Path> made) {
    List<String> out = new ArrayList<>();
    Path parent = target.getParent();
    for (int i = 1; parent != null && i <= parent.getNameCount(); i++) {
      Path ancestor = target.getRoot().resolve(parent.subpath(0, i));
      boolean system = SYSTEM_PATHS.stream().map(Path::of).anyMatch(ancestor::startsWith);
      if (!system && made.add(ancestor)) {
        out.addAll(List.of("--dir", ancestor.toString()));
      }
    }
    return out;
  }

  private boolean visible(Path exe, Path taskDir) {
    if (SYSTEM_PATHS.stream().map(Path::of).anyMatch(exe::startsWith) || exe.startsWith(taskDir)) {
      return true;
    }
    return policy.readOnlyPaths().stream().anyMatch(exe::startsWith)
        || policy.workspaceRoots().stream().anyMatch(r -> r.contains(exe));
  }

  private static Optional<Path> resolvConfOutsideEtc() {
    try {
      Path real = Path.of("/etc/resolv.conf").toRealPath();
      return real.startsWith("/etc") ? Optional.empty() : Optional.of(real);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
