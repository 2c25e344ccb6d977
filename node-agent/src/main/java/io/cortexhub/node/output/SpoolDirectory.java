package io.cortexhub.node.output;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The directory that holds one node's spill files ({@code <work-dir>/spool/<node>/}).
 *
 * <p>Why it is wiped at start: unacknowledged output lives only as long as the agent process that
 * produced it — a new process has a new instance id, the hub marks the old process's tasks LOST, and
 * nothing could ever resume them — so files left by a previous process (a crash, a SIGKILL) are
 * only wasted disk. Not thread-safe; called once before the agent takes any task.
 */
public final class SpoolDirectory {
  /** What {@link #removeLeftovers()} deleted. */
  public record Leftovers(int files, long bytes) {}

  private final Path dir;

  public SpoolDirectory(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  public Path path() {
    return dir;
  }

  /**
   * Deletes everything below the directory (never following symbolic links), keeping the
   * directory itself.
   *
   * @throws OutputSpillException if something could not be deleted
   */
  public Leftovers removeLeftovers() {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new Leftovers(0, 0);
    }
    long[] counts = new long[2];
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              counts[0]++;
              counts[1] += attrs.size();
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              if (!d.equals(dir)) {
                Files.delete(d);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new OutputSpillException("cannot remove leftover spill files in " + dir, e);
    }
    return new Leftovers((int) counts[0], counts[1]);
  }
}
