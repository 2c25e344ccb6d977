package io.cortexhub.node.fs;

import java.util.Objects;

/**
 * An {@code fs} operation that must not run: a path outside the roots, a symbolic link, a write to a
 * read-only root, a limit exceeded, a patch that does not apply. The task ends {@code FAILED} with
 * {@code "refused: " + reason()}; nothing was changed.
 */
public final class FsRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FsRefusedException(String reason) {
    super(Objects.requireNonNull(reason, "reason"));
  }

  public String reason() {
    return getMessage();
  }
}
