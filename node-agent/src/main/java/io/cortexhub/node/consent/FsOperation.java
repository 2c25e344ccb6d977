package io.cortexhub.node.consent;

import io.cortexhub.proto.node.v1.FsPayload;

/** The file operations of capability {@code fs}, split by whether they change the workspace. */
public enum FsOperation {
  LIST(false),
  STAT(false),
  READ(false),
  WRITE(true),
  APPEND(true),
  PATCH(true),
  MKDIR(true),
  MOVE(true),
  DELETE(true);

  private final boolean changesState;

  FsOperation(boolean changesState) {
    this.changesState = changesState;
  }

  public boolean changesState() {
    return changesState;
  }

  /**
   * The operation an {@link FsPayload} holds.
   *
   * @throws IllegalArgumentException if it holds none
   */
  public static FsOperation of(FsPayload.OpCase op) {
    return switch (op) {
      case LIST -> LIST;
      case STAT -> STAT;
      case READ -> READ;
      case WRITE -> WRITE;
      case APPEND -> APPEND;
      case PATCH -> PATCH;
      case MKDIR -> MKDIR;
      case MOVE -> MOVE;
      case DELETE -> DELETE;
      case OP_NOT_SET -> throw new IllegalArgumentException("the fs payload names no operation");
    };
  }
}
