package io.cortexhub.node.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exactly what to hand to {@link ProcessBuilder}: the full command (wrappers first, the verified
 * argv last), the complete environment of the first process, and its working directory.
 *
 * @param treeDiesWithLeader the task runs in a PID namespace whose init dies with the first process
 *     (bubblewrap, {@code unshare --pid --kill-child}): once that process has exited, the kernel has
 *     killed, or is killing, every process of the task, and nothing can have escaped the namespace.
 *     A search for leftovers after a normal exit is then wasted work (a {@code kill} process and a
 *     {@code /proc} scan: several milliseconds per task).
 */
public record LaunchPlan(
    List<String> command, Map<String, String> environment, Path directory, boolean treeDiesWithLeader) {
  public LaunchPlan {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(directory, "directory");
  }
}
