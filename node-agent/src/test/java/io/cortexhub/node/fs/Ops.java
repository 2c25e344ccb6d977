package io.cortexhub.node.fs;

import com.google.protobuf.ByteString;
import io.cortexhub.proto.node.v1.FsDelete;
import io.cortexhub.proto.node.v1.FsList;
import io.cortexhub.proto.node.v1.FsMkdir;
import io.cortexhub.proto.node.v1.FsMove;
import io.cortexhub.proto.node.v1.FsPatch;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.FsRead;
import io.cortexhub.proto.node.v1.FsStat;
import io.cortexhub.proto.node.v1.FsWrite;
import java.nio.charset.StandardCharsets;

/** Short builders for fs payloads in tests. */
final class Ops {
  private Ops() {}

  static FsPayload list(String path, boolean recursive) {
    return FsPayload.newBuilder().setList(FsList.newBuilder().setPath(path).setRecursive(recursive)).build();
  }

  static FsPayload stat(String path) {
    return FsPayload.newBuilder().setStat(FsStat.newBuilder().setPath(path)).build();
  }

  static FsPayload read(String path) {
    return read(path, 0, 0);
  }

  static FsPayload read(String path, long offset, long length) {
    return FsPayload.newBuilder()
        .setRead(FsRead.newBuilder().setPath(path).setOffset(offset).setLength(length))
        .build();
  }

  static FsWrite.Builder data(String path, byte[] data) {
    return FsWrite.newBuilder().setPath(path).setData(ByteString.copyFrom(data));
  }

  static FsWrite.Builder data(String path, String text) {
    return data(path, text.getBytes(StandardCharsets.UTF_8));
  }

  static FsPayload write(String path, String text) {
    return write(data(path, text));
  }

  static FsPayload write(FsWrite.Builder w) {
    return FsPayload.newBuilder().setWrite(w).build();
  }

  static FsPayload append(String path, String text) {
    return append(data(path, text));
  }

  static FsPayload append(FsWrite.Builder w) {
    return FsPayload.newBuilder().setAppend(w).build();
  }

  static FsPayload patch(String path, String diff) {
    return FsPayload.newBuilder().setPatch(FsPatch.newBuilder().setPath(path).setUnifiedDiff(diff)).build();
  }

  static FsPayload mkdir(String path, boolean parents) {
    return FsPayload.newBuilder().setMkdir(FsMkdir.newBuilder().setPath(path).setParents(parents)).build();
  }

  static FsPayload move(String from, String to, boolean replace) {
    return FsPayload.newBuilder().setMove(FsMove.newBuilder().setFrom(from).setTo(to).setReplace(replace)).build();
  }

  static FsPayload delete(String path, boolean recursive) {
    return FsPayload.newBuilder().setDelete(FsDelete.newBuilder().setPath(path).setRecursive(recursive)).build();
  }
}
