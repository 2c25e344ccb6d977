package io.cortexhub.node.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.consent.ConsentDecision.Verdict;
import io.cortexhub.node.testing.FakeClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approve, deny and timeout through the real socket; its permissions; and what malformed input gets. */
class ConsentSocketServerTest {
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private ConsentBroker broker;
  private ConsentSocketServer server;
  private Path socket;

  @BeforeEach
  void start() {
    broker = new ConsentBroker(clock, clock.scheduler(), Duration.ofSeconds(30), new Random(1));
    socket = dir.resolve("consent").resolve("consent.sock");
    server = new ConsentSocketServer(socket, broker, pool);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    pool.shutdownNow();
  }

  private CompletableFuture<ConsentDecision> ask(String task) {
    return broker.request(new ConsentRequest(task, List.of("/usr/bin/git", "push"), "/work/ws", "bob", "push to origin"));
  }

  @Test
  void theSocketIs0600_inA0700Directory_andGoesAwayOnClose() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
    server.close();
    assertThat(socket).doesNotExist();
  }

  @Test
  void list_showsExactlyWhatIsAsked() {
    ask("t-1");
    List<Map<String, Object>> pending = new ConsentClient(socket).list();
    assertThat(pending).hasSize(1);
    Map<String, Object> p = pending.get(0);
    assertThat(p).containsEntry("taskId", "t-1").containsEntry("argv", List.of("/usr/bin/git", "push"))
        .containsEntry("cwd", "/work/ws").containsEntry("requestedBy", "bob").containsEntry("summary", "push to origin")
        .containsEntry("deadlineUnixMs", clock.millis() + 30_000);
    assertThat(p.get("id")).isEqualTo(broker.pending().get(0).id());
  }

  @Test
  void approve_throughTheSocket_letsTheTaskRun_andNamesWhoApproved() {
    CompletableFuture<ConsentDecision> f = ask("t-1");
    String id = broker.pending().get(0).id();
    Map<String, Object> reply = new ConsentClient(socket).approve(id);
    assertThat(reply).containsEntry("ok", true).containsEntry("verdict", "APPROVED").containsEntry("taskId", "t-1");
    ConsentDecision d = f.join();
    assertThat(d.verdict()).isEqualTo(Verdict.APPROVED);
    assertThat(d.decidedBy()).isEqualTo("socket:" + System.getProperty("user.name"));
  }

  @Test
  void deny_throughTheSocket() {
    CompletableFuture<ConsentDecision> f = ask("t-1");
    Map<String, Object> reply = new ConsentClient(socket).deny(broker.pending().get(0).id());
    assertThat(reply).containsEntry("verdict", "DENIED");
    assertThat(f.join().verdict()).isEqualTo(Verdict.DENIED);
  }

  @Test
  void timeout_isSeenThroughTheSocket_andALateApprovalIsRefused() {
    CompletableFuture<ConsentDecision> f = ask("t-1");
    String id = broker.pending().get(0).id();
    clock.advance(Duration.ofSeconds(30));
    assertThat(f.join().verdict()).isEqualTo(Verdict.TIMED_OUT);
    ConsentClient client = new ConsentClient(socket);
    assertThat(client.list()).isEmpty();
    assertThat(client.approve(id)).containsEntry("ok", false)
        .containsEntry("error", "no pending request with id " + id + " (already answered, timed out, or never existed)");
  }

  @Test
  void malformedLines_getAClearError_andTheServerKeepsServing() throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      OutputStream out = Channels.newOutputStream(ch);
      InputStream in = Channels.newInputStream(ch);
      LineReader replies = new LineReader(in, 1 << 20);
      record Case(byte[] line, String error) {}
      for (Case c : List.of(
          new Case("HELLO".getBytes(StandardCharsets.UTF_8), "unknown command \\\"HELLO\\\": expected LIST, APPROVE <id> or DENY <id>"),
          new Case("list".getBytes(StandardCharsets.UTF_8), "unknown command"),
          new Case("".getBytes(StandardCharsets.UTF_8), "unknown command"),
          new Case("APPROVE".getBytes(StandardCharsets.UTF_8), "APPROVE takes exactly one request id"),
          new Case("APPROVE a b".getBytes(StandardCharsets.UTF_8), "APPROVE takes exactly one request id"),
          new Case("DENY ../../x".getBytes(StandardCharsets.UTF_8), "DENY takes exactly one request id"),
          new Case("APPROVE  abc".getBytes(StandardCharsets.UTF_8), "exactly one request id"),
          new Case(new byte[] {'L', (byte) 0xC3, (byte) 0x28}, "not valid UTF-8"),
          new Case("{\"json\":true}".getBytes(StandardCharsets.UTF_8), "unknown command"))) {
        out.write(c.line());
        out.write('\n');
        out.flush();
        String reply = replies.next().text();
        assertThat(reply).as(new String(c.line(), StandardCharsets.UTF_8)).startsWith("{\"error\":\"")
            .contains(c.error()).endsWith("\"ok\":false}");
      }
      // The same connection still works, with CRLF too.
      out.write("LIST\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(replies.next().text()).isEqualTo("{\"ok\":true,\"pending\":[]}");

      out.write(("APPROVE " + "x".repeat(5000) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(replies.next().text()).contains("line longer than 1024 bytes; closing the connection");
      assertThat(replies.next()).as("closed by the server").isNull();
    }
    ask("t-2");
    assertThat(new ConsentClient(socket).list()).hasSize(1);
  }

  @Test
  void aStaleSocketFile_isReplaced_butALiveOneOrAPlainFileIsNot() throws IOException {
    ConsentSocketServer second = new ConsentSocketServer(socket, broker, pool);
    assertThatThrownBy(second::start).isInstanceOf(ConsentSocketException.class)
        .hasMessageContaining("already listening on " + socket);
    assertThat(new ConsentClient(socket).list()).isEmpty();

    // Simulate a crash: the file stays, nobody listens.
    Path crashed = dir.resolve("crashed").resolve("c.sock");
    Files.createDirectories(crashed.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try (var s = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(crashed));
    }
    assertThat(crashed).exists();
    try (ConsentSocketServer revived = new ConsentSocketServer(crashed, broker, pool)) {
      revived.start();
      assertThat(new ConsentClient(crashed).list()).isEmpty();
    }

    Path plain = dir.resolve("consent").resolve("notes.txt");
    Files.writeString(plain, "keep me");
    assertThatThrownBy(() -> new ConsentSocketServer(plain, broker, pool).start())
        .hasMessageContaining("is not a socket");
    assertThat(plain).hasContent("keep me");
  }

  @Test
  void aSharedDirectory_isRefused_notChmodded() throws IOException {
    Path shared = dir.resolve("shared");
    Files.createDirectory(shared);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwt".replace('t', 'x')));
    assertThatThrownBy(() -> new ConsentSocketServer(shared.resolve("c.sock"), broker, pool).start())
        .isInstanceOf(ConsentSocketException.class).hasMessageContaining("must be private");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxrwxrwx");
  }

  @Test
  void aTooLongPath_isRefusedWithTheReason() {
    Path deep = dir.resolve("x".repeat(100)).resolve("consent.sock");
    assertThatThrownBy(() -> new ConsentSocketServer(deep, broker, pool).start())
        .hasMessageContaining("longer than 106 bytes");
  }

  /** A 107-byte path passed our check but the JDK refused it (found by an end-to-end run in a deep checkout). */
  @Test
  void pathLengthLimit_isTheOneTheJdkReallyBinds() throws Exception {
    Path longest = pathOfLength(106);
    ConsentSocketServer server = new ConsentSocketServer(longest, broker, pool);
    server.start();
    server.close();

    assertThatThrownBy(() -> new ConsentSocketServer(pathOfLength(107), broker, pool).start())
        .isInstanceOf(ConsentSocketException.class)
        .hasMessageContaining("longer than 106 bytes");
  }

  private Path pathOfLength(int bytes) throws IOException {
    Path parent = Files.createDirectories(dir.resolve("p" + bytes));
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
    int room = bytes - parent.toString().length() - 1;
    assertThat(room).as("temp dir short enough for this test").isPositive();
    return parent.resolve("s".repeat(room));
  }

  @Test
  void noServer_givesAClearClientError() {
    assertThatThrownBy(() -> new ConsentClient(dir.resolve("nothing.sock")).list())
        .isInstanceOf(ConsentSocketException.class).hasMessageContaining("no cortex-node agent is listening");
  }

  @Test
  void onlyTheOwnerOrRoot_mayAnswer() throws IOException {
    var users = dir.getFileSystem().getUserPrincipalLookupService();
    var root = users.lookupPrincipalByName("root");
    var nobody = users.lookupPrincipalByName("nobody");
    assertThat(ConsentSocketServer.allowed(nobody, nobody)).isTrue();
    assertThat(ConsentSocketServer.allowed(root, nobody)).isTrue();
    assertThat(ConsentSocketServer.allowed(nobody, root)).isFalse();
  }
}
