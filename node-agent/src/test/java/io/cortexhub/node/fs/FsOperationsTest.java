package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Each operation's ordinary use, its JSON answer and the changes it reports. */
@EnabledOnOs(OS.LINUX)
class FsOperationsTest {
  @TempDir Path ws;
  FsHarness fs;

  @BeforeEach
  void setUp() {
    fs = new FsHarness(List.of(new FsRoot(ws, true)), new FsLimits(1 << 20, 1 << 20, 5), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  static String sha(String s) {
    return Sha256.hex(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void write_createsAFile_reportsItsHash_andRelativePathsStartAtTheFirstRoot() throws Exception {
    FsHarness.Run run = fs.run(Ops.write("notes.txt", "hello\n"));
    assertThat(run.succeeded()).isTrue();
    assertThat(run.result().exitCode()).hasValue(0);
    assertThat(run.text())
        .isEqualTo("{\"op\":\"write\",\"path\":\"" + ws.resolve("notes.txt") + "\",\"sha256Before\":null,"
            + "\"sha256After\":\"" + sha("hello\n") + "\",\"bytes\":6}");
    assertThat(ws.resolve("notes.txt")).hasContent("hello");
    assertThat(fs.changes)
        .containsExactly(new FsHarness.Change("fs-1", ws.resolve("notes.txt"), Optional.empty(), Optional.of(sha("hello\n"))));
  }

  @Test
  void write_replacesAFile_keepingItsPermissions_andLeavesNoTemporaryFile() throws Exception {
    Path f = Files.writeString(ws.resolve("run.sh"), "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(fs.run(Ops.write(f.toString(), "new")).succeeded()).isTrue();
    assertThat(f).hasContent("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rwxr-x---");
    try (var entries = Files.list(ws)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("run.sh", ".cortex-locks");
    }
    assertThat(fs.changes.get(0).before()).contains(sha("old"));
    assertThat(fs.changes.get(0).after()).contains(sha("new"));
  }

  @Test
  void write_createsParents_onlyWhenAsked() throws Exception {
    assertThat(fs.run(Ops.write("a/b/c.txt", "x")).detail()).isEqualTo(ws.resolve("a") + " does not exist");
    assertThat(fs.run(Ops.write(Ops.data("a/b/c.txt", "x").setCreateParents(true))).succeeded()).isTrue();
    assertThat(ws.resolve("a/b/c.txt")).hasContent("x");
  }

  @Test
  void write_withExpectedHash_isACompareAndSwap() throws Exception {
    Files.writeString(ws.resolve("v.txt"), "1");
    FsHarness.Run stale = fs.run(Ops.write(Ops.data("v.txt", "3").setExpectedSha256(sha("2"))));
    assertThat(stale.detail())
        .isEqualTo("refused: compare-and-swap failed on " + ws.resolve("v.txt") + ": expected sha256 " + sha("2")
            + " but the file has " + sha("1"));
    assertThat(ws.resolve("v.txt")).hasContent("1");
    FsHarness.Run ok = fs.run(Ops.write(Ops.data("v.txt", "2").setExpectedSha256(sha("1").toUpperCase())));
    assertThat(ok.succeeded()).isTrue();
    assertThat(ws.resolve("v.txt")).hasContent("2");
    assertThat(fs.run(Ops.write(Ops.data("missing.txt", "x").setExpectedSha256(sha("1")))).detail())
        .endsWith("but the file does not exist");
    assertThat(fs.run(Ops.write(Ops.data("v.txt", "x").setExpectedSha256("abc"))).detail())
        .isEqualTo("refused: expected_sha256 is not 64 hex digits: abc");
  }

  @Test
  void writeAndAppend_overTheLimit_areRefused() throws Exception {
    byte[] big = new byte[(1 << 20) + 1];
    assertThat(fs.run(Ops.write(Ops.data("big", big))).detail())
        .isEqualTo("refused: write of 1048577 bytes exceeds the write limit of 1048576 bytes");
    assertThat(fs.run(Ops.append(Ops.data("big", big))).detail())
        .isEqualTo("refused: append of 1048577 bytes exceeds the write limit of 1048576 bytes");
    assertThat(ws.resolve("big")).doesNotExist();
  }

  @Test
  void append_createsAndExtends_withHashesBeforeAndAfter() throws Exception {
    assertThat(fs.run(Ops.append("log.txt", "a\n")).text()).contains("\"sha256Before\":null").contains("\"size\":2");
    FsHarness.Run second = fs.run(Ops.append("log.txt", "b\n"));
    assertThat(second.text()).contains("\"sha256Before\":\"" + sha("a\n") + "\"")
        .contains("\"sha256After\":\"" + sha("a\nb\n") + "\"").contains("\"size\":4");
    assertThat(ws.resolve("log.txt")).hasContent("a\nb");
    assertThat(fs.run(Ops.append(Ops.data("log.txt", "c\n").setExpectedSha256(sha("a\n")))).detail())
        .contains("compare-and-swap failed");
    assertThat(fs.run(Ops.append(Ops.data("log.txt", "c\n").setExpectedSha256(sha("a\nb\n")))).succeeded()).isTrue();
    assertThat(ws.resolve("log.txt")).hasContent("a\nb\nc");
    assertThat(fs.changes).hasSize(3);
  }

  @Test
  void read_wholeFile_range_pastTheEnd_andInProtocolSizedChunks() throws Exception {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Files.write(ws.resolve("bin"), data);
    FsHarness.Run whole = fs.run(Ops.read("bin"));
    assertThat(whole.stdout()).isEqualTo(data);
    assertThat(whole.chunks()).isEqualTo(4); // 64 KiB each, the protocol's largest
    assertThat(fs.run(Ops.read("bin", 1000, 10)).stdout()).isEqualTo(Arrays.copyOfRange(data, 1000, 1010));
    assertThat(fs.run(Ops.read("bin", 199_995, 100)).stdout()).isEqualTo(Arrays.copyOfRange(data, 199_995, 200_000));
    FsHarness.Run past = fs.run(Ops.read("bin", 500_000, 0));
    assertThat(past.succeeded()).isTrue();
    assertThat(past.stdout()).isEmpty();
    Files.writeString(ws.resolve("empty"), "");
    assertThat(fs.run(Ops.read("empty")).succeeded()).isTrue();
  }

  @Test
  void read_overTheLimit_isRefused_notCutShort() throws Exception {
    Files.write(ws.resolve("big"), new byte[(1 << 20) + 10]);
    assertThat(fs.run(Ops.read("big")).detail())
        .isEqualTo("refused: reading 1048586 bytes of " + ws.resolve("big")
            + " exceeds the read limit of 1048576 bytes; read a smaller range");
    assertThat(fs.run(Ops.read("big", 0, (1 << 20) + 1)).detail()).contains("exceeds the read limit");
    assertThat(fs.run(Ops.read("big", 10, 0)).stdout()).hasSize(1 << 20);
    assertThat(fs.run(Ops.read("missing")).detail()).isEqualTo("refused: " + ws.resolve("missing") + " does not exist");
  }

  @Test
  void stat_describesFilesDirectoriesAndTheRoot() throws Exception {
    Files.writeString(ws.resolve("f.txt"), "abc");
    Files.createDirectory(ws.resolve("d"));
    assertThat(fs.run(Ops.stat("f.txt")).text())
        .startsWith("{\"op\":\"stat\",\"path\":\"" + ws.resolve("f.txt") + "\",\"type\":\"file\",\"size\":3,")
        .contains("\"links\":1", "\"sha256\":\"" + sha("abc") + "\"", "\"permissions\":\"rw-");
    assertThat(fs.run(Ops.stat("d")).text()).contains("\"type\":\"directory\"").doesNotContain("sha256");
    assertThat(fs.run(Ops.stat("")).text()).contains("\"path\":\"" + ws + "\",\"type\":\"directory\"");
  }

  @Test
  void list_isSorted_recursesOnRequest_andStopsAtTheEntryLimit() throws Exception {
    Files.createDirectories(ws.resolve("b/inner"));
    Files.writeString(ws.resolve("a.txt"), "a");
    Files.writeString(ws.resolve("b/inner/c.txt"), "c");
    String flat = fs.run(Ops.list("", false)).text();
    assertThat(flat).startsWith("{\"op\":\"list\",\"path\":\"" + ws + "\",\"entries\":[{\"path\":\"a.txt\",\"type\":\"file\",\"size\":1,")
        .contains("{\"path\":\"b\",\"type\":\"directory\"").doesNotContain("inner").endsWith("\"truncated\":false}");
    String deep = fs.run(Ops.list("", true)).text();
    assertThat(deep).contains("\"path\":\"b/inner\"", "\"path\":\"b/inner/c.txt\"");
    assertThat(deep.indexOf("\"a.txt\"")).isLessThan(deep.indexOf("\"b\""));
    for (int i = 0; i < 10; i++) {
      Files.writeString(ws.resolve("many" + i), "");
    }
    String capped = fs.run(Ops.list("", true)).text();
    assertThat(capped.split("\"path\":").length - 2).isEqualTo(5);
    assertThat(capped).endsWith("\"truncated\":true}");
    assertThat(fs.run(Ops.list("a.txt", false)).detail()).isEqualTo("refused: " + ws.resolve("a.txt") + " is not a directory");
  }

  @Test
  void mkdir_single_withParents_andExisting() throws Exception {
    assertThat(fs.run(Ops.mkdir("d", false)).text()).isEqualTo("{\"op\":\"mkdir\",\"path\":\"" + ws.resolve("d") + "\",\"created\":true}");
    assertThat(ws.resolve("d")).isDirectory();
    assertThat(fs.run(Ops.mkdir("d", false)).detail()).isEqualTo("refused: " + ws.resolve("d") + " already exists");
    assertThat(fs.run(Ops.mkdir("d", true)).text()).contains("\"created\":false");
    assertThat(fs.run(Ops.mkdir("x/y/z", false)).detail())
        .isEqualTo("refused: the parent of " + ws.resolve("x/y/z") + " does not exist (set parents to create it)");
    assertThat(fs.run(Ops.mkdir("x/y/z", true)).succeeded()).isTrue();
    assertThat(ws.resolve("x/y/z")).isDirectory();
    Files.writeString(ws.resolve("file"), "");
    assertThat(fs.run(Ops.mkdir("file", true)).detail()).isEqualTo("refused: " + ws.resolve("file") + " is not a directory");
  }

  @Test
  void move_filesAndDirectories_replacingOnlyWhenAsked() throws Exception {
    Files.writeString(ws.resolve("a.txt"), "A");
    Files.writeString(ws.resolve("b.txt"), "B");
    assertThat(fs.run(Ops.move("a.txt", "b.txt", false)).detail())
        .isEqualTo("refused: " + ws.resolve("b.txt") + " already exists (set replace to overwrite it)");
    FsHarness.Run replaced = fs.run(Ops.move("a.txt", "b.txt", true));
    assertThat(replaced.text()).contains("\"replaced\":true", "\"sha256\":\"" + sha("A") + "\"");
    assertThat(ws.resolve("a.txt")).doesNotExist();
    assertThat(ws.resolve("b.txt")).hasContent("A");
    assertThat(fs.changes)
        .containsExactly(
            new FsHarness.Change("fs-2", ws.resolve("a.txt"), Optional.of(sha("A")), Optional.empty()),
            new FsHarness.Change("fs-2", ws.resolve("b.txt"), Optional.of(sha("B")), Optional.of(sha("A"))));

    Files.createDirectories(ws.resolve("src/pkg"));
    Files.writeString(ws.resolve("src/pkg/x"), "x");
    assertThat(fs.run(Ops.move("src", "dst", false)).succeeded()).isTrue();
    assertThat(ws.resolve("dst/pkg/x")).hasContent("x");
    assertThat(fs.run(Ops.move("dst", "dst/pkg/inside", false)).detail()).contains("into itself");
    assertThat(fs.run(Ops.move("b.txt", "dst", true)).detail()).isEqualTo("refused: " + ws.resolve("dst") + " is a directory");
    assertThat(fs.run(Ops.move("nothing", "x", false)).detail()).endsWith("nothing does not exist");
  }

  @Test
  void delete_file_emptyDirectory_andTreeOnlyWhenRecursive() throws Exception {
    Files.writeString(ws.resolve("f"), "F");
    assertThat(fs.run(Ops.delete("f", false)).text()).isEqualTo("{\"op\":\"delete\",\"path\":\"" + ws.resolve("f") + "\",\"removed\":1}");
    assertThat(fs.changes).containsExactly(new FsHarness.Change("fs-1", ws.resolve("f"), Optional.of(sha("F")), Optional.empty()));
    Files.createDirectories(ws.resolve("t/u"));
    Files.writeString(ws.resolve("t/u/g"), "G");
    Files.createSymbolicLink(ws.resolve("t/link"), Path.of("/etc"));
    assertThat(fs.run(Ops.delete("t", false)).detail())
        .isEqualTo("refused: " + ws.resolve("t") + " is a directory that is not empty (set recursive to delete it)");
    assertThat(fs.run(Ops.delete("t", true)).text()).contains("\"removed\":4");
    assertThat(ws.resolve("t")).doesNotExist();
    assertThat(Path.of("/etc/passwd")).exists();
    assertThat(fs.changes).contains(new FsHarness.Change("fs-3", ws.resolve("t/u/g"), Optional.of(sha("G")), Optional.empty()));
    Files.createDirectory(ws.resolve("empty"));
    assertThat(fs.run(Ops.delete("empty", false)).succeeded()).isTrue();
    assertThat(fs.run(Ops.delete("empty", false)).detail()).endsWith("empty does not exist");
  }

  @Test
  void listenerFailure_doesNotUndoOrFailTheChange() throws Exception {
    FileChangeListener broken = (id, p, b, a) -> {
      throw new IllegalStateException("audit down");
    };
    FsRunner runner = new FsRunner(List.of(new FsRoot(ws, true)), FsLimits.DEFAULTS, broken, Clock.systemUTC(), fs.io);
    FsHarness.Events events = new FsHarness.Events();
    runner.start(fs.spec(Ops.write("f", "x"), 0), ws, events);
    assertThat(events.await().succeeded()).isTrue();
    assertThat(ws.resolve("f")).hasContent("x");
  }
}
