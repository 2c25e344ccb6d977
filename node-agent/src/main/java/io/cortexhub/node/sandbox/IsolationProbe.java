package io.cortexhub.node.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Finds out, by trying, the best isolation this machine can enforce: each primitive must exist
 * <em>and</em> pass a trial run of {@code true} under it (a tool that is installed but blocked by
 * the kernel, a container or a missing privilege does not count). Reports the result honestly in
 * an {@link IsolationReport}; the manifest carries {@code level.wireName()}.
 *
 * <p>Levels build on each other: {@code setpriv} works (as root: can drop to an unprivileged user);
 * {@code unshare} = setpriv + namespaces; {@code bubblewrap} = setpriv + bwrap. A root agent never
 * claims a level without the privilege drop.
 *
 * <p>{@code pretendAbsent} makes the probe treat primitives as missing, to show what a poorer
 * machine reports and that a policy demanding more refuses to run. Blocking (starts processes);
 * call once at start-up. Thread-safe.
 */
public final class IsolationProbe {
  private static final Logger LOG = Logger.getLogger(IsolationProbe.class.getName());
  private static final List<Path> TOOL_DIRS =
      List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin").stream().map(Path::of).toList();

  private final Set<Primitive> pretendAbsent;
  private final Cgroups.Host host;

  /** Probes everything the machine has. */
  public IsolationProbe() {
    this(Set.of());
  }

  /** Probes as if the given primitives were not installed. */
  public IsolationProbe(Set<Primitive> pretendAbsent) {
    this(pretendAbsent, Cgroups.SYSTEM);
  }

  IsolationProbe(Set<Primitive> pretendAbsent, Cgroups.Host host) {
    this.pretendAbsent = pretendAbsent.isEmpty() ? EnumSet.noneOf(Primitive.class) : EnumSet.copyOf(pretendAbsent);
    this.host = host;
  }

  public IsolationReport probe() {
    boolean root = isRoot();
    List<String> notes = new ArrayList<>();
    for (Primitive p : pretendAbsent) {
      notes.add("pretending " + p.name().toLowerCase().replace('_', ' ') + " is absent");
    }
    Map<Primitive, Path> tools = new EnumMap<>(Primitive.class);
    Optional<Path> trueExe = find("true");
    if (trueExe.isEmpty() || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return IsolationReport.none(root, "not a Linux machine with coreutils: no isolation");
    }
    String t = trueExe.get().toString();
    Optional<Path> setpriv = tool(Primitive.SETPRIV, "setpriv", notes);
    if (setpriv.isPresent()) {
      List<String> cmd = new ArrayList<>(List.of(setpriv.get().toString()));
      cmd.addAll(root ? List.of("--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs")
          : List.of("--no-new-privs"));
      cmd.addAll(List.of("--", t));
      trial(Primitive.SETPRIV, setpriv.get(), cmd, tools, notes);
    }
    Optional<Path> unshare = tool(Primitive.UNSHARE, "unshare", notes);
    if (unshare.isPresent()) {
      List<String> cmd = new ArrayList<>(List.of(unshare.get().toString()));
      cmd.addAll(SandboxLauncher.unshareOptions(root, false));
      cmd.addAll(List.of("--", t));
      trial(Primitive.UNSHARE, unshare.get(), cmd, tools, notes);
    }
    Optional<Path> bwrap = tool(Primitive.BUBBLEWRAP, "bwrap", notes);
    if (bwrap.isPresent()) {
      List<String> cmd = new ArrayList<>(List.of(bwrap.get().toString()));
      cmd.addAll(SandboxLauncher.bwrapNamespaceOptions(root, false));
      cmd.addAll(SandboxLauncher.systemBinds());
      cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--", t));
      trial(Primitive.BUBBLEWRAP, bwrap.get(), cmd, tools, notes);
    }
    tool(Primitive.PRLIMIT, "prlimit", notes).ifPresent(p -> tools.put(Primitive.PRLIMIT, p));

    IsolationLevel level = IsolationLevel.NONE;
    if (tools.containsKey(Primitive.SETPRIV)) {
      level = IsolationLevel.SETPRIV;
      if (tools.containsKey(Primitive.UNSHARE)) {
        level = IsolationLevel.UNSHARE;
      }
      if (tools.containsKey(Primitive.BUBBLEWRAP)) {
        level = IsolationLevel.BUBBLEWRAP;
      }
    } else if (tools.containsKey(Primitive.UNSHARE) || tools.containsKey(Primitive.BUBBLEWRAP)) {
      notes.add("namespaces work but setpriv does not: without the privilege drop the level is none");
    }
    QuotaMechanism quotas = quotas(tools, notes);
    IsolationReport report = new IsolationReport(level, root, tools, quotas, notes);
    LOG.info("sandbox probe: " + report.describe());
    return report;
  }

  private QuotaMechanism quotas(Map<Primitive, Path> tools, List<String> notes) {
    if (!pretendAbsent.contains(Primitive.CGROUP_V2) && CgroupV2Controller.locate(host, notes).isPresent()) {
      return QuotaMechanism.CGROUP_V2;
    }
    if (!pretendAbsent.contains(Primitive.CGROUP_V1) && CgroupV1Controller.locate(host, notes).isPresent()) {
      return QuotaMechanism.CGROUP_V1;
    }
    return tools.containsKey(Primitive.PRLIMIT) ? QuotaMechanism.PRLIMIT : QuotaMechanism.NONE;
  }

  private Optional<Path> tool(Primitive p, String name, List<String> notes) {
    if (pretendAbsent.contains(p)) {
      return Optional.empty();
    }
    Optional<Path> found = find(name);
    if (found.isEmpty()) {
      notes.add(name + ": not installed");
    }
    return found;
  }

  private static Optional<Path> find(String name) {
    for (Path dir : TOOL_DIRS) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        try {
          return Optional.of(p.toRealPath());
        } catch (IOException e) {
          // Vanished between the checks: look further.
        }
      }
    }
    return Optional.empty();
  }

  private static void trial(Primitive p, Path exe, List<String> cmd, Map<Primitive, Path> tools, List<String> notes) {
    try {
      Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = proc.getInputStream().readNBytes(2048);
      if (!proc.waitFor(10, TimeUnit.SECONDS)) {
        proc.destroyForcibly();
        notes.add(exe.getFileName() + ": trial run did not finish");
        return;
      }
      if (proc.exitValue() == 0) {
        tools.put(p, exe);
      } else {
        notes.add(exe.getFileName() + ": trial run failed (exit " + proc.exitValue() + "): "
            + new String(out, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      notes.add(exe.getFileName() + ": cannot run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notes.add(exe.getFileName() + ": trial interrupted");
    }
  }

  /** Effective uid 0, read from {@code /proc/self/status}. */
  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.split("\\s+");
          return f.length > 2 && f[2].equals("0");
        }
      }
    } catch (IOException e) {
      // Not Linux: fall through.
    }
    return "root".equals(System.getProperty("user.name"));
  }
}
