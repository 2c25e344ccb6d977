package io.cortexhub.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fresh directories under the build's scratch space, one per test class, kept for post-mortems; and
 * the removal of a directory tree where a stale one would mislead.
 */
public final class Scratch {
  private Scratch() {}

  public static Path newDir(String name) {
    try {
      Files.createDirectories(Artifacts.scratchDir());
      return Files.createTempDirectory(Artifacts.scratchDir(), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes {@code dir} and everything below it; nothing happens if it does not exist. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
