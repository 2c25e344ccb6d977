package io.cortexhub.node.fs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Told about every change an {@code fs} task made, after it is durable; the agent records these in
 * its audit log ({@code file.changed}).
 *
 * <p>A hash is the lowercase hex SHA-256 of a regular file's content; it is empty when there was
 * (before) or is (after) no regular file at the path: absent, a directory, a symbolic link or a
 * special file. A move reports twice (source gone, target arrived); a recursive delete reports every
 * entry it removed.
 *
 * <p>Called on the task's I/O thread while the file's advisory lock is still held, so the changes of
 * one file arrive in the order they were made (each {@code sha256Before} is the previous {@code
 * sha256After}). Implementations must therefore be thread-safe, quick, and must not wait for another
 * fs task. An exception thrown here is logged and does not undo the change.
 */
@FunctionalInterface
public interface FileChangeListener {
  void changed(String taskId, Path path, Optional<String> sha256Before, Optional<String> sha256After);

  /** Ignores every change (tests, tools without an audit log). */
  FileChangeListener NONE = (taskId, path, before, after) -> {};
}
