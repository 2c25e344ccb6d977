package io.cortexhub.node.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.testing.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real second user ({@code nobody}, via {@code setpriv}) tries the approvals socket, in a JVM of
 * its own. Each layer is tested alone by loosening the ones above it: the private directory, the
 * 0600 socket file, and the server's peer-credential check.
 *
 * <p>Needs root (CI runs as root) to switch users; it fails, not skips, without.
 */
@EnabledOnOs(OS.LINUX)
class ConsentSocketOtherUserTest {
  private static final String PROBE = """
      import java.io.*;
      import java.net.UnixDomainSocketAddress;
      import java.nio.channels.*;
      public class Probe {
        public static void main(String[] args) {
          for (String path : args) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
              OutputStream out = Channels.newOutputStream(ch);
              out.write("LIST\\n".getBytes("UTF-8"));
              out.flush();
              String reply = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), "UTF-8")).readLine();
              System.out.println("CONNECTED " + reply);
            } catch (Exception e) {
              System.out.println("REFUSED " + e.getMessage());
            }
          }
        }
      }
      """;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<ConsentSocketServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(ConsentSocketServer::close);
    pool.shutdownNow();
  }

  private Path serve(String name, ConsentBroker broker) {
    ConsentSocketServer s = new ConsentSocketServer(dir.resolve(name).resolve("c.sock"), broker, pool);
    s.start();
    servers.add(s);
    return s.socket();
  }

  @Test
  void anotherUser_isKeptOutByEachLayer() throws Exception {
    assertThat(System.getProperty("user.name")).as("this test switches to 'nobody' and needs root; CI runs as root")
        .isEqualTo("root");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    ConsentBroker broker = new ConsentBroker(clock, clock.scheduler(), Duration.ofSeconds(30), new Random(3));
    broker.request(new ConsentRequest("t-secret", List.of("rm", "-rf", "x"), "/ws", "alice", ""));

    Path asShipped = serve("shipped", broker);
    Path dirOpened = serve("dir-opened", broker);
    Files.setPosixFilePermissions(dirOpened.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
    Path fileOpened = serve("file-opened", broker);
    Files.setPosixFilePermissions(fileOpened.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(fileOpened, PosixFilePermissions.fromString("rw-rw-rw-"));

    List<String> lines = probeAsNobody(asShipped, dirOpened, fileOpened);

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).as("0700 directory").startsWith("REFUSED").contains("Permission denied");
    assertThat(lines.get(1)).as("0600 socket file").startsWith("REFUSED").contains("Permission denied");
    assertThat(lines.get(2)).as("peer credentials")
        .isEqualTo("CONNECTED {\"error\":\"user nobody may not answer consent requests on this node\",\"ok\":false}");
    assertThat(broker.pending()).hasSize(1);
    // The owner still gets through.
    assertThat(new ConsentClient(asShipped).list()).hasSize(1);
  }

  private List<String> probeAsNobody(Path... sockets) throws IOException, InterruptedException {
    Path probeDir = dir.resolve("probe");
    Files.createDirectory(probeDir);
    Files.setPosixFilePermissions(probeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path source = probeDir.resolve("Probe.java");
    Files.writeString(source, PROBE);
    Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(
        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", java, "-Xshare:off",
        "-Djava.io.tmpdir=" + probeDir, source.toString()));
    for (Path s : sockets) {
      cmd.add(s.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> l.startsWith("CONNECTED") || l.startsWith("REFUSED")).toList();
  }
}
