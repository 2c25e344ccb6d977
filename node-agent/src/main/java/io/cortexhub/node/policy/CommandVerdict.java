package io.cortexhub.node.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link CommandGate} decided about a {@code shell} payload: run exactly this, or refuse and
 * say why.
 */
public sealed interface CommandVerdict {
  /**
   * The payload may run, and this is all that may be run: nothing from the original payload is used
   * after the check.
   *
   * @param argv the arguments, with argv[0] replaced by the executable's resolved real path
   * @param workingDir the real path of the working directory, inside a workspace root or the task's
   *     own directory
   * @param env the complete environment of the process: the policy's base variables, the task's
   *     allow-listed ones, and hardening for some programs
   */
  record Allowed(List<String> argv, Path workingDir, Map<String, String> env) implements CommandVerdict {
    public Allowed {
      argv = List.copyOf(argv);
      Objects.requireNonNull(workingDir, "workingDir");
      env = Map.copyOf(env);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("argv must not be empty");
      }
    }

    /** The resolved real path of the executable. */
    public Path executable() {
      return Path.of(argv.get(0));
    }
  }

  /** The payload must not run; {@code reason} says which rule refused it, for the log and the hub. */
  record Refused(String reason) implements CommandVerdict {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
