package io.cortexhub.node.fs;

import io.cortexhub.proto.node.v1.FsPayload;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dispatches an {@link FsPayload} to its operation and holds what the operations share: the roots,
 * the limits, the locks and the change listener. Thread-safe (operations keep their state on the
 * stack; the collaborators are thread-safe).
 */
final class FsOperations {
  private static final Logger LOG = Logger.getLogger(FsOperations.class.getName());

  final WorkspaceRoots roots;
  final FsLimits limits;
  private final FileChangeListener listener;
  private final FileLocks locks;
  private final FsReads reads;
  private final FsWrites writes;
  private final FsTreeOps tree;

  FsOperations(WorkspaceRoots roots, FsLimits limits, FileChangeListener listener, FileLocks locks) {
    this.roots = Objects.requireNonNull(roots, "roots");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.reads = new FsReads(this);
    this.writes = new FsWrites(this);
    this.tree = new FsTreeOps(this);
  }

  void run(FsPayload p, FsTask task) throws IOException, InterruptedException {
    switch (p.getOpCase()) {
      case LIST -> reads.list(p.getList(), task);
      case STAT -> reads.stat(p.getStat(), task);
      case READ -> reads.read(p.getRead(), task);
      case WRITE -> writes.write(p.getWrite(), task);
      case APPEND -> writes.append(p.getAppend(), task);
      case PATCH -> writes.patch(p.getPatch(), task);
      case MKDIR -> tree.mkdir(p.getMkdir(), task);
      case MOVE -> tree.move(p.getMove(), task);
      case DELETE -> tree.delete(p.getDelete(), task);
      case OP_NOT_SET -> throw new FsRefusedException("the fs task names no operation");
    }
  }

  /** Takes the advisory locks of the targets; the wait ends early if the task is stopped. */
  FileLocks.Held lock(FsTask task, Target... targets) throws IOException, InterruptedException {
    List<Target> all = List.of(targets);
    return task.await(() -> locks.acquire(all));
  }

  /** Tells the listener; its failure is logged, since the change is made and cannot be undone. */
  void changed(FsTask task, Path path, Optional<String> before, Optional<String> after) {
    try {
      listener.changed(task.taskId(), path, before, after);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "change listener failed for task " + task.taskId() + " on " + path, e);
    }
  }

  /** Refuses data over the write limit. */
  void checkWriteSize(long size, String what) {
    if (size > limits.maxWriteBytes()) {
      throw new FsRefusedException(
          what + " of " + size + " bytes exceeds the write limit of " + limits.maxWriteBytes() + " bytes");
    }
  }

  static String typeName(PosixFileAttributes a) {
    return switch (OpenDir.kind(a)) {
      case FILE -> "file";
      case DIRECTORY -> "directory";
      case SYMLINK -> "symlink";
      case OTHER -> "other";
    };
  }

  /** The fields every listing and stat shows for an entry. */
  static Map<String, Object> describe(String path, PosixFileAttributes a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("type", typeName(a));
    m.put("size", a.size());
    m.put("modifiedAt", a.lastModifiedTime().toInstant().toString());
    m.put("permissions", PosixFilePermissions.toString(a.permissions()));
    return m;
  }
}
