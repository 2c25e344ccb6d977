package io.cortexhub.node.consent;

import io.cortexhub.node.audit.CanonicalJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The client side of {@link ConsentSocketServer}'s protocol, used by {@code cortex-node
 * approvals|approve|deny}: one connection per call. Thread-safe (stateless).
 */
public final class ConsentClient {
  private static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

  private final Path socket;

  public ConsentClient(Path socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
  }

  /** The pending requests, as the JSON objects of {@code LIST}. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> list() {
    Map<String, Object> reply = send("LIST");
    return (List<Map<String, Object>>) (List<?>) reply.get("pending");
  }

  /** {@code APPROVE id}; the reply object ({@code ok}, {@code verdict} or {@code error}). */
  public Map<String, Object> approve(String id) {
    return send("APPROVE " + id);
  }

  /** {@code DENY id}. */
  public Map<String, Object> deny(String id) {
    return send("DENY " + id);
  }

  /**
   * Sends one request line and reads the one-line answer.
   *
   * @throws ConsentSocketException if nothing listens there, access is denied, or the answer is
   *     not the protocol's; the message says which, for a human
   */
  public Map<String, Object> send(String line) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = Channels.newOutputStream(ch);
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      LineReader.Line reply = new LineReader(Channels.newInputStream(ch), MAX_REPLY_BYTES).next();
      if (reply == null || reply.text() == null) {
        throw new ConsentSocketException("the agent on " + socket + " closed the connection without an answer");
      }
      return CanonicalJson.parseObject(reply.text());
    } catch (IllegalArgumentException e) {
      throw new ConsentSocketException("the agent on " + socket + " answered something that is not JSON: "
          + e.getMessage(), e);
    } catch (IOException e) {
      // Unix-socket connect failures arrive as SocketExceptions that differ only in their errno text.
      String msg = String.valueOf(e.getMessage());
      if (e instanceof ConnectException || msg.contains("No such file") || msg.contains("Connection refused")) {
        throw new ConsentSocketException("no cortex-node agent is listening on " + socket
            + " (is 'cortex-node run' started, with this --socket?)", e);
      }
      if (msg.contains("Permission denied")) {
        throw new ConsentSocketException("permission denied on " + socket
            + ": only the user the agent runs as (or root) can answer consent requests", e);
      }
      throw new ConsentSocketException("cannot talk to the agent on " + socket + ": " + e, e);
    }
  }
}
