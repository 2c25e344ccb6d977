package io.cortexhub.node.fs;

import io.cortexhub.node.fs.WorkspaceRoots.Access;
import io.cortexhub.proto.node.v1.FsPatch;
import io.cortexhub.proto.node.v1.FsWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operations that change a file's content: {@code write} (atomic replace), {@code append} and
 * {@code patch}. Each holds the file's advisory lock from before it reads the old content until the
 * change is durable, so a compare-and-swap ({@code expected_sha256}) or a patch never works on a
 * stale read and two tasks never interleave. Only regular files with a single link are changed.
 * Thread-safe (stateless).
 */
// "try": a FileLocks.Held resource is never referenced in its block; holding it is the point.
@SuppressWarnings("try")
final class FsWrites {
  private final FsOperations ops;

  FsWrites(FsOperations ops) {
    this.ops = ops;
  }

  void write(FsWrite req, FsTask task) throws IOException, InterruptedException {
    Target t = fileTarget(req.getPath());
    ops.checkWriteSize(req.getData().size(), "write");
    Optional<String> expected = expectedHash(req.getExpectedSha256());
    Optional<String> before = Optional.empty();
    String after;
    try (FileLocks.Held held = ops.lock(task, t);
        OpenDir dir = OpenDir.parentOf(t, req.getCreateParents())) {
      Optional<PosixFileAttributes> prev = dir.attributes(t.name());
      if (prev.isPresent()) {
        requireSingleFile(dir, t, prev.get());
        try (FileChannel ch = dir.open(t.name(), prev.get(), Set.of(StandardOpenOption.READ))) {
          before = Optional.of(Sha256.of(ch));
        }
      }
      checkExpected(t, expected, before);
      AtomicReplace.replace(dir, t.name(), req.getData().asReadOnlyByteBuffer(), prev, task);
      MessageDigest digest = Sha256.digest();
      digest.update(req.getData().asReadOnlyByteBuffer());
      after = Sha256.hex(digest);
      // Reported under the lock, so the audit log orders changes of one file as they happened.
      ops.changed(task, t.absolute(), before, Optional.of(after));
    }
    Map<String, Object> out = result("write", t, before, Optional.of(after));
    out.put("bytes", req.getData().size());
    task.json(out);
  }

  void append(FsWrite req, FsTask task) throws IOException, InterruptedException {
    Target t = fileTarget(req.getPath());
    ops.checkWriteSize(req.getData().size(), "append");
    Optional<String> expected = expectedHash(req.getExpectedSha256());
    Optional<String> before;
    String after;
    long size;
    try (FileLocks.Held held = ops.lock(task, t);
        OpenDir dir = OpenDir.parentOf(t, req.getCreateParents())) {
      Optional<PosixFileAttributes> prev = dir.attributes(t.name());
      FileChannel ch;
      if (prev.isPresent()) {
        requireSingleFile(dir, t, prev.get());
        ch = dir.open(t.name(), prev.get(), Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
      } else {
        checkExpected(t, expected, Optional.empty());
        task.checkpoint();
        ch = dir.createNew(t.name());
      }
      try (ch) {
        // Hash the old content, then continue the same digest over the new bytes: no second read.
        MessageDigest digest = Sha256.digest();
        size = ch.size();
        Sha256.update(digest, ch);
        before = prev.isPresent() ? Optional.of(Sha256.hex(copy(digest))) : Optional.empty();
        checkExpected(t, expected, before);
        if (prev.isPresent()) {
          task.checkpoint(); // a new file was created after the last checkpoint; finish it instead
        }
        ByteBuffer data = req.getData().asReadOnlyByteBuffer();
        long pos = size;
        while (data.hasRemaining()) {
          pos += ch.write(data, pos);
        }
        ch.force(true);
        task.committed();
        digest.update(req.getData().asReadOnlyByteBuffer());
        after = Sha256.hex(digest);
        size = pos;
      }
      if (prev.isEmpty()) {
        dir.syncAfterChange();
      }
      ops.changed(task, t.absolute(), before, Optional.of(after));
    }
    Map<String, Object> out = result("append", t, before, Optional.of(after));
    out.put("bytes", req.getData().size());
    out.put("size", size);
    task.json(out);
  }

  void patch(FsPatch req, FsTask task) throws IOException, InterruptedException {
    Target t = fileTarget(req.getPath());
    byte[] diffBytes = req.getUnifiedDiff().getBytes(StandardCharsets.UTF_8);
    ops.checkWriteSize(diffBytes.length, "patch");
    UnifiedDiff diff = UnifiedDiff.parse(Patcher.bytesAsText(diffBytes));
    Optional<String> before = Optional.empty();
    Optional<String> after = Optional.empty();
    Patcher.Result patched;
    try (FileLocks.Held held = ops.lock(task, t);
        OpenDir dir = OpenDir.parentOf(t, diff.createsFile())) {
      Optional<PosixFileAttributes> prev = dir.attributes(t.name());
      byte[] original = new byte[0];
      if (diff.createsFile()) {
        if (prev.isPresent()) {
          throw new FsRefusedException("patch rejected: it creates " + t.absolute() + ", which already exists");
        }
      } else {
        PosixFileAttributes a = prev.orElseThrow(() -> FsReads.missing(t));
        requireSingleFile(dir, t, a);
        ops.checkWriteSize(a.size(), "patching a file");
        try (FileChannel ch = dir.open(t.name(), a, Set.of(StandardOpenOption.READ))) {
          original = readAll(ch);
        }
        before = Optional.of(Sha256.hex(original));
      }
      patched = Patcher.apply(diff, original, t.absolute().toString());
      if (diff.deletesFile()) {
        if (patched.content().length != 0) {
          throw new FsRefusedException("patch rejected: it deletes " + t.absolute() + " but "
              + patched.content().length + " bytes would remain");
        }
        task.checkpoint();
        dir.deleteFile(t.name());
        task.committed();
        dir.syncAfterChange();
      } else {
        ops.checkWriteSize(patched.content().length, "the patched file");
        AtomicReplace.replace(dir, t.name(), ByteBuffer.wrap(patched.content()), prev, task);
        after = Optional.of(Sha256.hex(patched.content()));
      }
      ops.changed(task, t.absolute(), before, after);
    }
    Map<String, Object> out = result("patch", t, before, after);
    out.put("hunks", diff.hunks().size());
    out.put("offsets", patched.offsets());
    out.put("created", diff.createsFile());
    out.put("deleted", diff.deletesFile());
    task.json(out);
  }

  private Target fileTarget(String path) {
    Target t = ops.roots.resolve(path, Access.WRITE);
    if (t.isRoot()) {
      throw new FsRefusedException(t.absolute() + " is a workspace root, not a file");
    }
    return t;
  }

  private static void requireSingleFile(OpenDir dir, Target t, PosixFileAttributes a) throws IOException {
    dir.requireKind(t.name(), a, OpenDir.Kind.FILE);
    dir.refuseHardLinks(t.name(), a);
  }

  private static Optional<String> expectedHash(String given) {
    if (given.isEmpty()) {
      return Optional.empty();
    }
    String hex = given.toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new FsRefusedException("expected_sha256 is not 64 hex digits: " + given);
    }
    return Optional.of(hex);
  }

  private static void checkExpected(Target t, Optional<String> expected, Optional<String> actual) {
    if (expected.isEmpty() || expected.equals(actual)) {
      return;
    }
    throw new FsRefusedException(
        "compare-and-swap failed on " + t.absolute() + ": expected sha256 " + expected.get() + " but "
            + actual.map(h -> "the file has " + h).orElse("the file does not exist"));
  }

  private static Map<String, Object> result(String op, Target t, Optional<String> before, Optional<String> after) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", t.absolute().toString());
    m.put("sha256Before", before);
    m.put("sha256After", after);
    return m;
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(ch.size()));
    while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
      // keep reading: a regular file returns short reads only at its end
    }
    return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
  }

  private static MessageDigest copy(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
    }
  }
}
