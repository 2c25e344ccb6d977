package io.cortexhub.node.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exactly what to hand to {@link ProcessBuilder}: the full command (wrappers first, the verified
 * argv last), the complete environment of the first process, and its working directory.
 */
public record LaunchPlan(List<String> command, Map<String, String> environment, Path directory) {
  public LaunchPlan {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(directory, "directory");
  }
}
