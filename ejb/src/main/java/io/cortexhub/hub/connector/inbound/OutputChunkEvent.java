package io.cortexhub.hub.connector.inbound;

import io.cortexhub.hub.output.OutputStreamKind;
import java.util.Objects;

/**
 * One chunk of output (text or binary) as received; {@code data} is not copied.
 *
 * @param frameId for binary chunks: the artefact id, {@code index}/{@code last}/{@code codec} too
 */
public record OutputChunkEvent(
    String taskId,
    long seq,
    OutputStreamKind stream,
    byte[] data,
    long producedAtUnixMs,
    String frameId,
    int index,
    boolean last,
    String codec) {
  public OutputChunkEvent {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(data, "data");
    frameId = frameId == null ? "" : frameId;
    codec = codec == null ? "" : codec;
  }

  public static OutputChunkEvent text(
      String taskId, long seq, OutputStreamKind stream, byte[] data, long producedAtUnixMs) {
    return new OutputChunkEvent(taskId, seq, stream, data, producedAtUnixMs, "", 0, false, "");
  }
}
