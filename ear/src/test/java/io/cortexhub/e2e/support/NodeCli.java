package io.cortexhub.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One-shot {@code cortex-node} commands as an operator types them ({@code enroll}, {@code approve}, {@code
 * deny}, {@code audit verify}, ...): the real jar in a child process, run to completion with a deadline,
 * its exit code and combined output returned. Stateless; thread-safe.
 */
public final class NodeCli {
  private NodeCli() {}

  /** What a command did. */
  public record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + ":\n" + output;
    }
  }

  /** Runs {@code cortex-node args...} and waits at most {@code timeout} for it to exit. */
  public static Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(HubProcess.javaBinary());
    command.add("-Xmx128m");
    command.add("-jar");
    command.add(Artifacts.nodeJar().toString());
    command.addAll(List.of(args));
    Path output = null;
    try {
      Files.createDirectories(Artifacts.scratchDir());
      output = Files.createTempFile(Artifacts.scratchDir(), "cortex-node-cli", ".out");
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("cortex-node " + String.join(" ", args) + " did not exit within " + timeout
            + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run cortex-node " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running cortex-node " + String.join(" ", args), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a leftover file in target/ is harmless
        }
      }
    }
  }
}
