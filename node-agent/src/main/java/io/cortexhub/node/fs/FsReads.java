package io.cortexhub.node.fs;

import com.google.protobuf.ByteString;
import io.cortexhub.node.fs.WorkspaceRoots.Access;
import io.cortexhub.proto.node.v1.FsList;
import io.cortexhub.proto.node.v1.FsRead;
import io.cortexhub.proto.node.v1.FsStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.TreeMap;

/**
 * The read-only operations: {@code list}, {@code stat} and {@code read}. They take no locks: a write
 * replaces a file atomically, so a reader sees the old or the new content, never a mix (an append
 * in progress may be seen partly). Thread-safe (stateless).
 */
final class FsReads {
  /** Deeper trees are listed to this depth and marked truncated (each level holds a descriptor). */
  static final int MAX_LIST_DEPTH = 64;

  private final FsOperations ops;

  FsReads(FsOperations ops) {
    this.ops = ops;
  }

  void stat(FsStat req, FsTask task) throws IOException, InterruptedException {
    Target t = ops.roots.resolve(req.getPath(), Access.READ);
    Map<String, Object> doc;
    if (t.isRoot()) {
      try (OpenDir root = OpenDir.openRoot(t.rootReal())) {
        doc = FsOperations.describe(t.absolute().toString(), root.selfAttributes());
      }
    } else {
      try (OpenDir dir = OpenDir.parentOf(t, false)) {
        PosixFileAttributes a = dir.attributes(t.name()).orElseThrow(() -> missing(t));
        doc = FsOperations.describe(t.absolute().toString(), a);
        if (OpenDir.kind(a) == OpenDir.Kind.FILE) {
          int links = dir.linkCount(t.name(), a);
          doc.put("links", links);
          // The hash lets a client make a compare-and-swap write; it is not computed for a file
          // that could be someone else's (hard links) or too large to read.
          if (links == 1 && a.size() <= ops.limits.maxReadBytes()) {
            Optional<FileChannel> opened = dir.openIfUnchanged(t.name(), a, Set.of(StandardOpenOption.READ));
            if (opened.isPresent()) { // replaced meanwhile: the attributes shown are stale, so no hash
              try (FileChannel ch = opened.get()) {
                doc.put("sha256", Sha256.of(ch));
              }
            }
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", "stat");
    out.putAll(doc);
    task.json(out);
  }

  void list(FsList req, FsTask task) throws IOException, InterruptedException {
    Target t = ops.roots.resolve(req.getPath(), Access.READ);
    List<Object> entries = new ArrayList<>();
    boolean truncated;
    try (OpenDir dir = OpenDir.walk(t, t.names().size(), false)) {
      truncated = listInto(dir, "", t.isRoot(), req.getRecursive(), 0, entries, task);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", "list");
    out.put("path", t.absolute().toString());
    out.put("entries", entries);
    out.put("truncated", truncated);
    task.json(out);
  }

  /** Depth-first, sorted by name; returns whether the listing was cut short. */
  private boolean listInto(
      OpenDir dir, String prefix, boolean atRoot, boolean recursive, int depth, List<Object> out, FsTask task)
      throws IOException {
    int max = ops.limits.maxListEntries();
    TreeMap<String, PosixFileAttributes> here = new TreeMap<>();
    boolean truncated = false;
    for (Path entry : dir.entries()) {
      task.checkpoint();
      String name = entry.getFileName().toString();
      if (atRoot && name.equals(WorkspaceRoots.LOCK_DIR)) {
        continue;
      }
      // Names beyond what can still be returned are not kept; which ones survive is then arbitrary.
      if (out.size() + here.size() >= max) {
        truncated = true;
        break;
      }
      dir.attributes(name).ifPresent(a -> here.put(name, a));
    }
    for (var e : here.entrySet()) {
      if (out.size() >= max) {
        return true;
      }
      String rel = prefix + e.getKey();
      out.add(FsOperations.describe(rel, e.getValue()));
      if (recursive && OpenDir.kind(e.getValue()) == OpenDir.Kind.DIRECTORY) {
        if (depth + 1 >= MAX_LIST_DEPTH) {
          truncated = true;
          continue;
        }
        try (OpenDir child = dir.child(e.getKey())) {
          truncated |= listInto(child, rel + "/", false, true, depth + 1, out, task);
        } catch (NoSuchFileException | FsRefusedException gone) {
          // Removed or replaced by a link since it was read: list what is there now, which is not it.
          truncated = true;
        }
      }
    }
    return truncated;
  }

  void read(FsRead req, FsTask task) throws IOException, InterruptedException {
    Target t = ops.roots.resolve(req.getPath(), Access.READ);
    if (t.isRoot()) {
      throw new FsRefusedException(t.absolute() + " is a directory");
    }
    try (OpenDir dir = OpenDir.parentOf(t, false);
        OpenDir.Opened file = dir.openSingleLinkedForReading(t.name())) {
      FileChannel ch = file.channel();
      long size = ch.size();
      long offset = req.getOffset();
      if (offset < 0) {
        throw new FsRefusedException("read offset " + Long.toUnsignedString(offset) + " is too large");
      }
      long available = Math.max(0, size - offset);
      long wanted = req.getLength() == 0 ? available : req.getLength();
      if (wanted < 0 || wanted > ops.limits.maxReadBytes()) {
        throw new FsRefusedException(
            "reading "
                + (wanted < 0 ? Long.toUnsignedString(wanted) : wanted)
                + " bytes of "
                + t.absolute()
                + " exceeds the read limit of "
                + ops.limits.maxReadBytes()
                + " bytes; read a smaller range");
      }
      stream(ch, offset, Math.min(wanted, available), task);
    }
  }

  private static void stream(FileChannel ch, long offset, long length, FsTask task)
      throws IOException, InterruptedException {
    ByteBuffer buf = ByteBuffer.allocate(FsTask.MAX_CHUNK);
    long pos = offset;
    long end = offset + length;
    while (pos < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break; // the file shrank underneath us (a non-atomic writer): send what there was
      }
      buf.flip();
      task.output(ByteString.copyFrom(buf));
      pos += n;
    }
  }

  static FsRefusedException missing(Target t) {
    return new FsRefusedException(t.absolute() + " does not exist");
  }
}
