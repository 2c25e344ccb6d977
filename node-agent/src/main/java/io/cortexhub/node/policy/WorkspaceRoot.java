package io.cortexhub.node.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A directory tree tasks may use: read-only, or read-write when {@code writable}. The path is the
 * real path (symbolic links resolved) as the policy was loaded; confinement compares real paths
 * element by element, never strings.
 */
public record WorkspaceRoot(Path path, boolean writable) {
  public WorkspaceRoot {
    Objects.requireNonNull(path, "path");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("workspace root must be absolute: " + path);
    }
  }

  /** Whether {@code realPath} (already resolved) is this root or below it. */
  public boolean contains(Path realPath) {
    return realPath.normalize().startsWith(path);
  }
}
