package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.output.OutputRecord;
import io.cortexhub.hub.output.OutputStreamKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One stored output chunk as JSON, and the text the SSE stream sends for it.
 *
 * <p>stdout and stderr bytes are decoded as UTF-8 ({@code encoding: "utf-8"}); binary chunks are
 * base64 ({@code encoding: "base64"}). A multi-byte character split across two chunks decodes as
 * replacement characters: clients needing exact bytes should treat text chunks as a byte stream.
 *
 * @param seq the chunk's sequence number in its task, from 1
 * @param stream {@code stdout}, {@code stderr} or {@code binary}
 * @param data the chunk's content in {@code encoding}
 * @param encoding {@code utf-8} or {@code base64}
 * @param producedAt when the node read the bytes
 */
@Schema(name = "OutputChunk")
public record OutputChunkJson(
    long seq, String stream, String data, String encoding, Instant producedAt) {

  /** The JSON form of a stored chunk. */
  public static OutputChunkJson of(OutputRecord chunk) {
    boolean binary = chunk.stream() == OutputStreamKind.BINARY;
    return new OutputChunkJson(
        chunk.seq(),
        streamName(chunk.stream()),
        text(chunk),
        binary ? "base64" : "utf-8",
        chunk.producedAt());
  }

  /** The SSE event name of a stream: {@code stdout}, {@code stderr} or {@code binary}. */
  public static String streamName(OutputStreamKind stream) {
    return stream.name().toLowerCase(Locale.ROOT);
  }

  /** The chunk's bytes as text: UTF-8 for stdout/stderr, base64 for binary. */
  public static String text(OutputRecord chunk) {
    return chunk.stream() == OutputStreamKind.BINARY
        ? Base64.getEncoder().encodeToString(chunk.data())
        : new String(chunk.data(), StandardCharsets.UTF_8);
  }
}
