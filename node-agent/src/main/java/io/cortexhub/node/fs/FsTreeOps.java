package io.cortexhub.node.fs;

import io.cortexhub.node.fs.WorkspaceRoots.Access;
import io.cortexhub.proto.node.v1.FsDelete;
import io.cortexhub.proto.node.v1.FsMkdir;
import io.cortexhub.proto.node.v1.FsMove;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operations on names rather than contents: {@code mkdir}, {@code move} and {@code delete}. A
 * move is one {@code renameat}; a delete removes a tree depth-first through directory descriptors,
 * never following a link (a link is removed, its target is not touched). Neither may move or remove
 * a workspace root or a directory holding one. Thread-safe (stateless).
 */
// "try": a FileLocks.Held resource is never referenced in its block; holding it is the point.
@SuppressWarnings("try")
final class FsTreeOps {
  private final FsOperations ops;

  FsTreeOps(FsOperations ops) {
    this.ops = ops;
  }

  void mkdir(FsMkdir req, FsTask task) throws IOException, InterruptedException {
    Target t = ops.roots.resolve(req.getPath(), Access.WRITE);
    boolean created = false;
    if (t.isRoot()) {
      if (!req.getParents()) {
        throw new FsRefusedException(t.absolute() + " already exists (it is a workspace root)");
      }
    } else {
      task.checkpoint();
      try (OpenDir dir = OpenDir.parentOf(t, req.getParents())) {
        Optional<PosixFileAttributes> existing = dir.attributes(t.name());
        if (existing.isPresent()) {
          dir.requireKind(t.name(), existing.get(), OpenDir.Kind.DIRECTORY);
          if (!req.getParents()) {
            throw new FsRefusedException(t.absolute() + " already exists");
          }
        } else {
          dir.mkdir(t.name());
          task.committed();
          dir.syncAfterChange();
          created = true;
          ops.changed(task, t.absolute(), Optional.empty(), Optional.empty());
        }
      } catch (NoSuchFileException e) {
        throw new FsRefusedException("the parent of " + t.absolute() + " does not exist (set parents to create it)");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", "mkdir");
    out.put("path", t.absolute().toString());
    out.put("created", created);
    task.json(out);
  }

  void move(FsMove req, FsTask task) throws IOException, InterruptedException {
    Target from = ops.roots.resolve(req.getFrom(), Access.WRITE);
    Target to = ops.roots.resolve(req.getTo(), Access.WRITE);
    ops.roots.refuseRootChange(from, "move");
    ops.roots.refuseRootChange(to, "replace");
    if (from.contains(to)) {
      throw new FsRefusedException("cannot move " + from + " into itself (" + to + ")");
    }
    Optional<String> moved = Optional.empty();
    Optional<String> replaced = Optional.empty();
    boolean replacedSomething;
    try (FileLocks.Held held = ops.lock(task, from, to);
        OpenDir src = OpenDir.parentOf(from, false);
        OpenDir dst = OpenDir.parentOf(to, false)) {
      PosixFileAttributes a = src.attributes(from.name()).orElseThrow(() -> FsReads.missing(from));
      OpenDir.Kind kind = OpenDir.kind(a);
      if (kind != OpenDir.Kind.DIRECTORY) {
        src.requireKind(from.name(), a, OpenDir.Kind.FILE);
      }
      Optional<PosixFileAttributes> target = dst.attributes(to.name());
      replacedSomething = target.isPresent();
      if (target.isPresent()) {
        if (!req.getReplace()) {
          throw new FsRefusedException(to + " already exists (set replace to overwrite it)");
        }
        // Replacing is for files: renaming over a directory would need it empty and is rarely meant.
        dst.requireKind(to.name(), target.get(), OpenDir.Kind.FILE);
        if (kind != OpenDir.Kind.FILE) {
          throw new FsRefusedException("cannot replace the file " + to + " with the directory " + from);
        }
        replaced = Optional.of(hash(dst, to.name(), target.get()));
      }
      if (kind == OpenDir.Kind.FILE) {
        moved = Optional.of(hash(src, from.name(), a));
      }
      task.checkpoint();
      try {
        src.move(from.name(), dst, to.name());
      } catch (AtomicMoveNotSupportedException e) {
        throw new FsRefusedException("cannot move " + from + " to " + to + ": they are on different file systems");
      }
      task.committed();
      src.syncAfterChange();
      dst.syncAfterChange();
      ops.changed(task, from.absolute(), moved, Optional.empty());
      ops.changed(task, to.absolute(), replaced, moved);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", "move");
    out.put("from", from.absolute().toString());
    out.put("to", to.absolute().toString());
    out.put("replaced", replacedSomething);
    out.put("sha256", moved);
    task.json(out);
  }

  void delete(FsDelete req, FsTask task) throws IOException, InterruptedException {
    Target t = ops.roots.resolve(req.getPath(), Access.WRITE);
    ops.roots.refuseRootChange(t, "delete");
    List<Removed> removed = new ArrayList<>();
    try (FileLocks.Held held = ops.lock(task, t);
        OpenDir dir = OpenDir.parentOf(t, false)) {
      try {
        PosixFileAttributes a = dir.attributes(t.name()).orElseThrow(() -> FsReads.missing(t));
        if (OpenDir.kind(a) == OpenDir.Kind.DIRECTORY) {
          task.checkpoint();
          if (req.getRecursive()) {
            try (OpenDir inner = dir.child(t.name())) {
              // Once the first entry is gone the delete is under way; it finishes rather than stops.
              task.committed();
              removeContents(inner, removed);
            }
          }
          try {
            dir.deleteDirectory(t.name());
          } catch (DirectoryNotEmptyException e) {
            throw new FsRefusedException(
                t.absolute() + " is a directory that is not empty (set recursive to delete it)");
          }
          removed.add(new Removed(t.absolute(), Optional.empty()));
        } else {
          // A link or special file is removed as a name (unlinkat never follows); a file is hashed first.
          Optional<String> hash =
              OpenDir.kind(a) == OpenDir.Kind.FILE ? Optional.of(hash(dir, t.name(), a)) : Optional.empty();
          task.checkpoint();
          dir.deleteFile(t.name());
          removed.add(new Removed(t.absolute(), hash));
        }
        task.committed();
        dir.syncAfterChange();
      } finally {
        // Report whatever is gone, even when a recursive delete failed half-way; still under the lock.
        for (Removed r : removed) {
          ops.changed(task, r.path(), r.sha256(), Optional.empty());
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", "delete");
    out.put("path", t.absolute().toString());
    out.put("removed", removed.size());
    task.json(out);
  }

  private record Removed(Path path, Optional<String> sha256) {}

  private void removeContents(OpenDir dir, List<Removed> removed) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path entry : dir.entries()) {
      names.add(entry.getFileName().toString());
    }
    for (String name : names) {
      Optional<PosixFileAttributes> a = dir.attributes(name);
      if (a.isEmpty()) {
        continue;
      }
      if (OpenDir.kind(a.get()) == OpenDir.Kind.DIRECTORY) {
        try (OpenDir child = dir.child(name)) {
          removeContents(child, removed);
        }
        dir.deleteDirectory(name);
        removed.add(new Removed(dir.pathOf(name), Optional.empty()));
      } else {
        Optional<String> hash =
            OpenDir.kind(a.get()) == OpenDir.Kind.FILE ? Optional.of(hash(dir, name, a.get())) : Optional.empty();
        dir.deleteFile(name);
        removed.add(new Removed(dir.pathOf(name), hash));
      }
    }
  }

  private static String hash(OpenDir dir, String name, PosixFileAttributes a) throws IOException {
    try (FileChannel ch = dir.open(name, a, Set.of(StandardOpenOption.READ))) {
      return Sha256.of(ch);
    }
  }
}
