package io.cortexhub.node.tunnel;

import io.cortexhub.proto.node.v1.FsPayload;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the paths out of an {@link FsPayload} and says in one line what the operation does, for
 * the owner's consent prompt. Stateless.
 */
final class FsSummary {
  private FsSummary() {}

  /** The paths the operation names, as the task wrote them (a move names two). */
  static List<String> paths(FsPayload fs) {
    return switch (fs.getOpCase()) {
      case LIST -> List.of(fs.getList().getPath());
      case STAT -> List.of(fs.getStat().getPath());
      case READ -> List.of(fs.getRead().getPath());
      case WRITE -> List.of(fs.getWrite().getPath());
      case APPEND -> List.of(fs.getAppend().getPath());
      case PATCH -> List.of(fs.getPatch().getPath());
      case MKDIR -> List.of(fs.getMkdir().getPath());
      case MOVE -> List.of(fs.getMove().getFrom(), fs.getMove().getTo());
      case DELETE -> List.of(fs.getDelete().getPath());
      case OP_NOT_SET -> List.of();
    };
  }

  /** E.g. "write 1234 bytes to /srv/ws/a.txt"; {@code resolved} are {@link #paths} made absolute. */
  static String describe(FsPayload fs, List<Path> resolved) {
    String first = resolved.isEmpty() ? "?" : resolved.get(0).toString();
    return switch (fs.getOpCase()) {
      case LIST -> "list " + first + (fs.getList().getRecursive() ? " recursively" : "");
      case STAT -> "stat " + first;
      case READ -> "read " + first;
      case WRITE -> "write " + fs.getWrite().getData().size() + " bytes to " + first
          + (fs.getWrite().getExpectedSha256().isEmpty() ? "" : " if its SHA-256 is " + fs.getWrite().getExpectedSha256());
      case APPEND -> "append " + fs.getAppend().getData().size() + " bytes to " + first;
      case PATCH -> "patch " + first + " with a diff of " + fs.getPatch().getUnifiedDiff().lines().count() + " lines";
      case MKDIR -> "create directory " + first + (fs.getMkdir().getParents() ? " with its parents" : "");
      case MOVE -> "move " + first + " to " + (resolved.size() > 1 ? resolved.get(1) : "?")
          + (fs.getMove().getReplace() ? ", replacing it" : "");
      case DELETE -> "delete " + first + (fs.getDelete().getRecursive() ? " and everything in it" : "");
      case OP_NOT_SET -> "nothing";
    };
  }
}
