package io.cortexhub.node.fs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A workspace root the {@code fs} capability may work in: every path a task names must lie inside
 * one of these, and only {@code writable} roots accept changes.
 *
 * <p>The path is the node owner's configuration (from the local policy), so it is trusted: it may
 * itself pass through symbolic links, which are resolved once per operation. Immutable.
 *
 * @param path absolute path of the root directory
 * @param writable whether write, append, patch, mkdir, move and delete may change files in it
 */
public record FsRoot(Path path, boolean writable) {
  public FsRoot {
    Objects.requireNonNull(path, "path");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("workspace root must be an absolute path: " + path);
    }
    path = path.normalize();
  }
}
