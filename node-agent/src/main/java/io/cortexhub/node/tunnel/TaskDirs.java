package io.cortexhub.node.tunnel;

import io.cortexhub.node.logging.AgentLog;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removes a task's directory once nothing will use it. Blocking: call it on an I/O thread. */
final class TaskDirs {
  private TaskDirs() {}

  /** Deletes {@code dir} and everything in it, without following links; a failure is logged. */
  static void deleteTree(Path dir, AgentLog log) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.warn("cannot remove task directory " + dir + ": " + e.getMessage());
    }
  }
}
