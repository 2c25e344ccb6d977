package io.cortexhub.hub.dispatch;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cortexhub.proto.node.v1.FsDelete;
import io.cortexhub.proto.node.v1.FsList;
import io.cortexhub.proto.node.v1.FsMkdir;
import io.cortexhub.proto.node.v1.FsMove;
import io.cortexhub.proto.node.v1.FsPatch;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.FsRead;
import io.cortexhub.proto.node.v1.FsStat;
import io.cortexhub.proto.node.v1.FsWrite;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one file operation an {@code fs} task carries, as the node will receive it ({@link FsPayload}
 * is the specification: list, stat, read, write, append, patch, mkdir, move, delete).
 *
 * <p>The hub checks only the shape: an operation is set, paths are present, bounded and free of NUL
 * characters, data and diffs fit in one tunnel frame. Where a path may lead (traversal, links,
 * devices, roots, writability) is the node's call: its policy names the workspace roots, and the hub
 * must not be trusted to confine anything. The factories keep the wire types out of callers.
 * Immutable and thread-safe.
 */
public final class FsOperation {
  /**
   * Most bytes of data a write or append, or of diff a patch, carries. Well under the tunnel's 4 MiB
   * frame; a larger file is written as a write followed by appends.
   */
  public static final int MAX_DATA_BYTES = 1 << 20;

  static final int MAX_PATH_CHARS = 4_096;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final FsPayload payload;

  private FsOperation(FsPayload payload) {
    this.payload = payload;
  }

  /**
   * A checked operation.
   *
   * @throws InvalidTaskRequestException naming the offending field, prefixed {@code fs.}
   */
  static FsOperation of(FsPayload payload) {
    Objects.requireNonNull(payload, "payload");
    FsOperation op = new FsOperation(payload);
    op.check();
    return op;
  }

  public static FsOperation list(String path, boolean recursive) {
    return of(FsPayload.newBuilder().setList(FsList.newBuilder().setPath(path).setRecursive(recursive)).build());
  }

  public static FsOperation stat(String path) {
    return of(FsPayload.newBuilder().setStat(FsStat.newBuilder().setPath(path)).build());
  }

  /** Bytes {@code [offset, offset + length)}; length 0 reads to the end. */
  public static FsOperation read(String path, long offset, long length) {
    return of(FsPayload.newBuilder()
        .setRead(FsRead.newBuilder().setPath(path).setOffset(offset).setLength(length)).build());
  }

  /**
   * Replaces the file atomically.
   *
   * @param expectedSha256 write only if the file's current SHA-256 (hex) is this; empty: always
   */
  public static FsOperation write(String path, byte[] data, boolean createParents, String expectedSha256) {
    return of(FsPayload.newBuilder().setWrite(fsWrite(path, data, createParents, expectedSha256)).build());
  }

  /** Adds to the end of the file; parameters as for {@link #write}. */
  public static FsOperation append(String path, byte[] data, boolean createParents, String expectedSha256) {
    return of(FsPayload.newBuilder().setAppend(fsWrite(path, data, createParents, expectedSha256)).build());
  }

  public static FsOperation patch(String path, String unifiedDiff) {
    return of(FsPayload.newBuilder().setPatch(FsPatch.newBuilder().setPath(path).setUnifiedDiff(unifiedDiff))
        .build());
  }

  public static FsOperation mkdir(String path, boolean parents) {
    return of(FsPayload.newBuilder().setMkdir(FsMkdir.newBuilder().setPath(path).setParents(parents)).build());
  }

  public static FsOperation move(String from, String to, boolean replace) {
    return of(FsPayload.newBuilder().setMove(FsMove.newBuilder().setFrom(from).setTo(to).setReplace(replace))
        .build());
  }

  public static FsOperation delete(String path, boolean recursive) {
    return of(FsPayload.newBuilder().setDelete(FsDelete.newBuilder().setPath(path).setRecursive(recursive))
        .build());
  }

  private static FsWrite fsWrite(String path, byte[] data, boolean createParents, String expectedSha256) {
    return FsWrite.newBuilder().setPath(path).setData(ByteString.copyFrom(data)).setCreateParents(createParents)
        .setExpectedSha256(expectedSha256).build();
  }

  /**
   * An operation as stored by {@link #toBytes()}. Not checked again: it was at submit, and a limit
   * lowered since must not make stored tasks unreadable.
   */
  public static FsOperation parse(byte[] stored) {
    try {
      return new FsOperation(FsPayload.parseFrom(stored));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored fs operation is not an FsPayload", e);
    }
  }

  public FsPayload payload() {
    return payload;
  }

  public byte[] toBytes() {
    return payload.toByteArray();
  }

  /** The operation's name as the REST API and the node's audit log spell it: {@code write}, ... */
  public String op() {
    return payload.getOpCase().name().toLowerCase(Locale.ROOT);
  }

  /** The path the operation acts on ({@code from} for a move). */
  public String path() {
    return paths().get(0);
  }

  /** For a move, where to; empty otherwise. */
  public String target() {
    return payload.hasMove() ? payload.getMove().getTo() : "";
  }

  /** Whether the operation changes files (everything but list, stat and read). */
  public boolean changesFiles() {
    return switch (payload.getOpCase()) {
      case LIST, STAT, READ -> false;
      default -> true;
    };
  }

  private List<String> paths() {
    return switch (payload.getOpCase()) {
      case LIST -> List.of(payload.getList().getPath());
      case STAT -> List.of(payload.getStat().getPath());
      case READ -> List.of(payload.getRead().getPath());
      case WRITE -> List.of(payload.getWrite().getPath());
      case APPEND -> List.of(payload.getAppend().getPath());
      case PATCH -> List.of(payload.getPatch().getPath());
      case MKDIR -> List.of(payload.getMkdir().getPath());
      case MOVE -> List.of(payload.getMove().getFrom(), payload.getMove().getTo());
      case DELETE -> List.of(payload.getDelete().getPath());
      case OP_NOT_SET -> throw new InvalidTaskRequestException(
          "fs.op: one of list, stat, read, write, append, patch, mkdir, move, delete is required");
    };
  }

  private void check() {
    for (String path : paths()) {
      if (path.isBlank()) {
        throw new InvalidTaskRequestException("fs.path: required for " + op());
      }
      if (path.length() > MAX_PATH_CHARS) {
        throw new InvalidTaskRequestException("fs.path: at most " + MAX_PATH_CHARS + " characters");
      }
      if (path.indexOf('\0') >= 0) {
        throw new InvalidTaskRequestException("fs.path: must not contain NUL characters");
      }
    }
    switch (payload.getOpCase()) {
      case WRITE, APPEND -> {
        var w = payload.hasWrite() ? payload.getWrite() : payload.getAppend();
        checkSize("fs.data", w.getData().size());
        String sha = w.getExpectedSha256();
        if (!sha.isEmpty() && !SHA256_HEX.matcher(sha).matches()) {
          throw new InvalidTaskRequestException("fs.expectedSha256: 64 lower-case hex digits");
        }
      }
      case PATCH -> {
        if (payload.getPatch().getUnifiedDiff().isBlank()) {
          throw new InvalidTaskRequestException("fs.diff: required for patch");
        }
        checkSize("fs.diff", payload.getPatch().getUnifiedDiffBytes().size());
      }
      default -> { }
    }
  }

  private static void checkSize(String field, int bytes) {
    if (bytes > MAX_DATA_BYTES) {
      throw new InvalidTaskRequestException(field + ": at most " + MAX_DATA_BYTES + " bytes per task ("
          + bytes + " given); write larger files as a write followed by appends");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FsOperation other && payload.equals(other.payload);
  }

  @Override
  public int hashCode() {
    return payload.hashCode();
  }

  @Override
  public String toString() {
    String target = target();
    return op() + " " + path() + (target.isEmpty() ? "" : " -> " + target);
  }
}
