package io.cortexhub.node.testing;

import io.cortexhub.node.policy.CommandRule;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.PolicyFile;
import io.cortexhub.node.policy.WorkspaceRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Policies for tests: the defaults plus the programs a test runs, resolved to their real paths. */
public final class TestPolicies {
  /** Programs that run other programs: a test that uses them allows them explicitly. */
  private static final Set<String> INTERPRETERS = Set.of("sh", "bash", "dash", "setsid", "env", "timeout");

  private TestPolicies() {}

  /**
   * The defaults, run as the agent's own user, with these programs allowed (shells and launchers
   * with {@code interpreter: true}) and these writable roots.
   */
  public static NodePolicy allowing(List<Path> writableRoots, String... programs) {
    List<CommandRule> rules = new ArrayList<>();
    for (String p : programs) {
      CommandRule r = CommandRule.any(realPath(p));
      rules.add(INTERPRETERS.contains(p) ? r.asInterpreter() : r);
    }
    List<WorkspaceRoot> roots = new ArrayList<>();
    for (Path root : writableRoots) {
      try {
        roots.add(new WorkspaceRoot(root.toRealPath(), true));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return PolicyFile.defaults().withRunAsUser(Optional.empty()).withCommands(rules).withWorkspaceRoots(roots);
  }

  /** The real path of a program on {@code /usr/bin:/bin}. */
  public static Path realPath(String program) {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        try {
          return p.toRealPath();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("test needs " + program + " on /usr/bin or /bin");
  }
}
