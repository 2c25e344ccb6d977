package io.cortexhub.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh directories under the build's scratch space, one per test class, kept for post-mortems. */
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
}
