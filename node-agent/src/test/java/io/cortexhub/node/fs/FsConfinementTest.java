package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.TaskOutcome;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way out of a workspace root that the fs capability must refuse, sent through the real runner
 * against real files, links and special files. Each test also checks that nothing outside changed.
 */
@EnabledOnOs(OS.LINUX)
class FsConfinementTest {
  private static final String SECRET = "top secret\n";

  @TempDir Path base;
  Path ws;
  Path outside;
  Path secret;
  FsHarness fs;

  @BeforeEach
  void setUp() throws Exception {
    ws = Files.createDirectory(base.resolve("ws"));
    outside = Files.createDirectory(base.resolve("outside"));
    secret = Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.createDirectory(base.resolve("ws-evil"));
    Files.writeString(base.resolve("ws-evil/secret.txt"), SECRET);
    Files.writeString(ws.resolve("inside.txt"), "inside\n");
    fs = FsHarness.writable(ws);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  private static void assertRefused(FsHarness.Run run, String reason) {
    assertThat(run.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(run.detail()).startsWith("refused: ").contains(reason);
    assertThat(run.stdout()).isEmpty();
  }

  private void assertSecretUntouched() throws Exception {
    assertThat(Files.readString(secret)).isEqualTo(SECRET);
    try (var entries = Files.list(outside)) {
      assertThat(entries.toList()).containsExactly(secret);
    }
  }

  @Test
  void dotDot_isRefused_evenWhenItWouldStayInside() throws Exception {
    assertRefused(fs.run(Ops.read("../outside/secret.txt")), "'..' is not allowed");
    assertRefused(fs.run(Ops.read("sub/../../outside/secret.txt")), "'..' is not allowed");
    assertRefused(fs.run(Ops.read(ws + "/../outside/secret.txt")), "'..' is not allowed");
    assertRefused(fs.run(Ops.read("sub/../inside.txt")), "'..' is not allowed");
    assertRefused(fs.run(Ops.write("../outside/secret.txt", "owned")), "'..' is not allowed");
    assertSecretUntouched();
  }

  @Test
  void absolutePathOutsideEveryRoot_isRefused() throws Exception {
    assertRefused(fs.run(Ops.read(secret.toString())), "is outside the workspace roots");
    assertRefused(fs.run(Ops.read("/etc/passwd")), "/etc/passwd is outside the workspace roots");
    assertRefused(fs.run(Ops.write(outside.resolve("new.txt").toString(), "x")), "outside the workspace roots");
    assertRefused(fs.run(Ops.list("/", false)), "outside the workspace roots");
    assertSecretUntouched();
  }

  @Test
  void siblingDirectoryWithTheRootAsNamePrefix_isOutside() throws Exception {
    assertRefused(fs.run(Ops.read(base + "/ws-evil/secret.txt")), "ws-evil/secret.txt is outside the workspace roots");
    assertRefused(fs.run(Ops.write(base + "/ws-evil/new.txt", "x")), "is outside the workspace roots");
    assertThat(base.resolve("ws-evil/new.txt")).doesNotExist();
  }

  @Test
  void procSelfRoot_isOutside_andALinkToIt_isRefused() throws Exception {
    assertRefused(fs.run(Ops.read("/proc/self/root" + ws + "/inside.txt")), "is outside the workspace roots");
    assertRefused(fs.run(Ops.read("/proc/self/root" + secret)), "is outside the workspace roots");
    Files.createSymbolicLink(ws.resolve("proc"), Path.of("/proc/self/root"));
    assertRefused(fs.run(Ops.read("proc" + secret)), ws.resolve("proc") + " is a symbolic link");
  }

  @Test
  void symlinkInTheMiddle_isRefused_forEveryOperation() throws Exception {
    Files.createSymbolicLink(ws.resolve("link"), outside);
    String reason = ws.resolve("link") + " is a symbolic link; links are never followed";
    assertRefused(fs.run(Ops.read("link/secret.txt")), reason);
    assertRefused(fs.run(Ops.stat("link/secret.txt")), reason);
    assertRefused(fs.run(Ops.list("link", false)), reason);
    assertRefused(fs.run(Ops.write("link/new.txt", "x")), reason);
    assertRefused(fs.run(Ops.write(Ops.data("link/deeper/new.txt", "x").setCreateParents(true))), reason);
    assertRefused(fs.run(Ops.append("link/secret.txt", "x")), reason);
    assertRefused(fs.run(Ops.mkdir("link/dir", true)), reason);
    assertRefused(fs.run(Ops.delete("link/secret.txt", false)), reason);
    assertRefused(fs.run(Ops.move("link/secret.txt", "stolen.txt", false)), reason);
    assertRefused(fs.run(Ops.move("inside.txt", "link/planted.txt", false)), reason);
    assertSecretUntouched();
    assertThat(ws.resolve("stolen.txt")).doesNotExist();
  }

  @Test
  void symlinkAsTheLastComponent_isRefused_butCanBeStatedAndRemovedAsALink() throws Exception {
    Files.createSymbolicLink(ws.resolve("file-link"), secret);
    String reason = ws.resolve("file-link") + " is a symbolic link";
    assertRefused(fs.run(Ops.read("file-link")), reason);
    assertRefused(fs.run(Ops.write("file-link", "owned")), reason);
    assertRefused(fs.run(Ops.append("file-link", "owned")), reason);
    assertRefused(fs.run(Ops.patch("file-link", "@@ -1 +1 @@\n-top secret\n+owned\n")), reason);
    assertRefused(fs.run(Ops.move("file-link", "moved", false)), reason);
    assertRefused(fs.run(Ops.move("inside.txt", "file-link", true)), reason);
    assertSecretUntouched();

    FsHarness.Run stat = fs.run(Ops.stat("file-link"));
    assertThat(stat.text()).contains("\"type\":\"symlink\"").doesNotContain("sha256");

    FsHarness.Run delete = fs.run(Ops.delete("file-link", false));
    assertThat(delete.succeeded()).isTrue();
    assertThat(ws.resolve("file-link")).doesNotExist();
    assertSecretUntouched();
  }

  @Test
  void danglingSymlink_isNotFollowedToCreateAFileOutside() throws Exception {
    Path planted = outside.resolve("planted.txt");
    Files.createSymbolicLink(ws.resolve("dangling"), planted);
    assertRefused(fs.run(Ops.write("dangling", "x")), ws.resolve("dangling") + " is a symbolic link");
    assertRefused(fs.run(Ops.append("dangling", "x")), "is a symbolic link");
    assertRefused(fs.run(Ops.patch("dangling", "--- /dev/null\n+++ b/dangling\n@@ -0,0 +1 @@\n+x\n")),
        "already exists");
    assertRefused(fs.run(Ops.mkdir("dangling", false)), "is a symbolic link");
    assertRefused(fs.run(Ops.write(Ops.data("dangling/x", "x").setCreateParents(true))), "is a symbolic link");
    assertThat(planted).doesNotExist();
    assertThat(Files.exists(ws.resolve("dangling"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void hardLinkToAFileOutside_isRefusedForReadingAndWriting() throws Exception {
    Files.createLink(ws.resolve("hard"), secret);
    String reason = ws.resolve("hard") + " has 2 hard links";
    assertRefused(fs.run(Ops.read("hard")), reason);
    assertRefused(fs.run(Ops.write("hard", "owned")), reason);
    assertRefused(fs.run(Ops.append("hard", "owned")), reason);
    assertRefused(fs.run(Ops.patch("hard", "@@ -1 +1 @@\n-top secret\n+owned\n")), reason);
    assertThat(fs.run(Ops.stat("hard")).text()).contains("\"links\":2").doesNotContain("sha256");
    assertSecretUntouched();
  }

  @Test
  void deviceFiles_areRefused() throws Exception {
    try (FsHarness dev = new FsHarness(List.of(new FsRoot(Path.of("/dev"), false)))) {
      assertRefused(dev.run(Ops.read("/dev/null")), "/dev/null is a character device, not a regular file");
      assertRefused(dev.run(Ops.read("/dev/zero")), "character device");
    }
    assertRefused(fs.run(Ops.read("/dev/null")), "outside the workspace roots");
    exec("mknod", ws.resolve("null").toString(), "c", "1", "3");
    assertRefused(fs.run(Ops.read("null")), "is a character device");
    assertRefused(fs.run(Ops.write("null", "x")), "is a character device");
    assertRefused(fs.run(Ops.append("null", "x")), "is a character device");
  }

  @Test
  void fifo_isRefused_withoutBlocking() throws Exception {
    exec("mkfifo", ws.resolve("fifo").toString());
    assertRefused(fs.run(Ops.read("fifo")), ws.resolve("fifo") + " is a FIFO");
    assertRefused(fs.run(Ops.write("fifo", "x")), "is a FIFO");
    assertRefused(fs.run(Ops.append("fifo", "x")), "is a FIFO");
    assertRefused(fs.run(Ops.move("fifo", "elsewhere", false)), "is a FIFO");
  }

  @Test
  void socket_isRefused() throws Exception {
    Path sock = ws.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      assertRefused(fs.run(Ops.read("agent.sock")), "is a socket");
      assertRefused(fs.run(Ops.write("agent.sock", "x")), "is a socket");
    }
  }

  @Test
  void readOnlyRoot_refusesEveryChange() throws Exception {
    Path ro = Files.createDirectory(base.resolve("ro"));
    Path file = Files.writeString(ro.resolve("f.txt"), "original\n");
    Files.createDirectory(ro.resolve("d"));
    try (FsHarness both = new FsHarness(List.of(new FsRoot(ws, true), new FsRoot(ro, false)))) {
      String reason = "workspace root " + ro + " is read-only";
      assertRefused(both.run(Ops.write(file.toString(), "x")), reason);
      assertRefused(both.run(Ops.append(file.toString(), "x")), reason);
      assertRefused(both.run(Ops.patch(file.toString(), "@@ -1 +1 @@\n-original\n+x\n")), reason);
      assertRefused(both.run(Ops.mkdir(ro + "/new", false)), reason);
      assertRefused(both.run(Ops.delete(file.toString(), false)), reason);
      assertRefused(both.run(Ops.delete(ro + "/d", true)), reason);
      assertRefused(both.run(Ops.move(file.toString(), ws + "/taken.txt", false)), reason);
      assertRefused(both.run(Ops.move(ws + "/inside.txt", ro + "/planted.txt", false)), reason);
      assertThat(both.run(Ops.read(file.toString())).text()).isEqualTo("original\n");
    }
    assertThat(Files.readString(file)).isEqualTo("original\n");
    assertThat(ro.resolve("d")).isDirectory();
    assertThat(ws.resolve("inside.txt")).exists();
  }

  @Test
  void readOnlyRootNestedInAWritableRoot_staysReadOnly() throws Exception {
    Path nested = Files.createDirectories(ws.resolve("vendor"));
    Files.writeString(nested.resolve("lib.txt"), "lib\n");
    try (FsHarness both = new FsHarness(List.of(new FsRoot(ws, true), new FsRoot(nested, false)))) {
      assertRefused(both.run(Ops.write("vendor/lib.txt", "x")), "workspace root " + nested + " is read-only");
      assertRefused(both.run(Ops.delete("vendor", true)), "workspace root " + nested + " is read-only");
      assertRefused(both.run(Ops.move("vendor", "elsewhere", false)), "is read-only");
      assertThat(both.run(Ops.write("other.txt", "ok")).succeeded()).isTrue();
    }
    assertThat(Files.readString(nested.resolve("lib.txt"))).isEqualTo("lib\n");
  }

  @Test
  void directoryHoldingAnotherRoot_cannotBeDeletedOrMoved() throws Exception {
    Path out = Files.createDirectories(ws.resolve("build/out"));
    try (FsHarness both = new FsHarness(List.of(new FsRoot(ws, true), new FsRoot(out, true)))) {
      assertRefused(both.run(Ops.delete("build", true)), "cannot delete " + ws.resolve("build")
          + ": it is or contains the workspace root " + out);
      assertRefused(both.run(Ops.move("build", "renamed", false)), "it is or contains the workspace root " + out);
      assertThat(both.run(Ops.write("build/out/result.txt", "ok")).succeeded()).isTrue();
    }
    assertThat(out.resolve("result.txt")).hasContent("ok");
  }

  @Test
  void rootItself_cannotBeDeletedMovedOrReplaced() throws Exception {
    assertRefused(fs.run(Ops.delete(ws.toString(), true)), "it is or contains the workspace root " + ws);
    assertRefused(fs.run(Ops.delete("", true)), "it is or contains the workspace root");
    assertRefused(fs.run(Ops.move(ws.toString(), ws + "/x", false)), "it is or contains the workspace root");
    assertRefused(fs.run(Ops.move("inside.txt", ws.toString(), true)), "it is or contains the workspace root");
    assertRefused(fs.run(Ops.write(ws.toString(), "x")), "is a workspace root, not a file");
    assertThat(ws.resolve("inside.txt")).exists();
  }

  @Test
  void lockDirectory_isReservedAndHidden() throws Exception {
    assertThat(fs.run(Ops.write("a.txt", "x")).succeeded()).isTrue();
    assertThat(ws.resolve(WorkspaceRoots.LOCK_DIR)).isDirectory();
    assertRefused(fs.run(Ops.list(WorkspaceRoots.LOCK_DIR, false)), "is reserved for the agent's file locks");
    assertRefused(fs.run(Ops.delete(WorkspaceRoots.LOCK_DIR, true)), "is reserved");
    assertRefused(fs.run(Ops.write(WorkspaceRoots.LOCK_DIR + "/x.lock", "x")), "is reserved");
    assertThat(fs.run(Ops.list("", true)).text()).doesNotContain(WorkspaceRoots.LOCK_DIR);
  }

  @Test
  void lockDirectoryReplacedByALink_isNotFollowed() throws Exception {
    Files.createSymbolicLink(ws.resolve(WorkspaceRoots.LOCK_DIR), outside);
    assertRefused(fs.run(Ops.write("a.txt", "x")), ws.resolve(WorkspaceRoots.LOCK_DIR) + " is a symbolic link");
    assertSecretUntouched();
    assertThat(ws.resolve("a.txt")).doesNotExist();
  }

  @Test
  void oddPaths_areRefusedWithAReason() throws Exception {
    assertRefused(fs.run(Ops.read("a\0b")), "NUL");
    assertRefused(fs.run(Ops.read("")), "is a directory");
    try (FsHarness none = new FsHarness(List.of())) {
      assertRefused(none.run(Ops.read("x")), "no workspace roots are configured");
    }
    FsHarness.Run noOp = fs.run(FsPayload.getDefaultInstance());
    assertRefused(noOp, "names no operation");
  }

  @Test
  void recursiveList_showsLinksButDoesNotFollowThem() throws Exception {
    Files.createSymbolicLink(ws.resolve("link"), outside);
    String listing = fs.run(Ops.list("", true)).text();
    assertThat(listing).contains("{\"path\":\"link\",\"type\":\"symlink\"").doesNotContain("secret.txt");
  }

  static void exec(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", argv) + " failed: " + out);
    }
  }
}
