package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The patch operation end to end: modify, create, delete, and refuse without touching the file. */
@EnabledOnOs(OS.LINUX)
class FsPatchTest {
  @TempDir Path ws;
  FsHarness fs;

  @BeforeEach
  void setUp() {
    fs = FsHarness.writable(ws);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void patch_modifiesTheFileAtomically_andReportsHashes() throws Exception {
    Files.writeString(ws.resolve("main.py"), "def f():\n    return 1\n");
    FsHarness.Run run = fs.run(Ops.patch("main.py", """
        --- a/main.py
        +++ b/main.py
        @@ -1,2 +1,2 @@
         def f():
        -    return 1
        +    return 2
        """));
    assertThat(run.succeeded()).isTrue();
    assertThat(ws.resolve("main.py")).hasContent("def f():\n    return 2");
    assertThat(run.text())
        .contains("\"op\":\"patch\"", "\"hunks\":1", "\"offsets\":[0]", "\"created\":false", "\"deleted\":false")
        .contains("\"sha256Before\":\"" + FsOperationsTest.sha("def f():\n    return 1\n") + "\"");
    assertThat(fs.changes.get(0).after()).contains(FsOperationsTest.sha("def f():\n    return 2\n"));
  }

  @Test
  void patch_thatDoesNotApply_leavesTheFileAlone() throws Exception {
    Files.writeString(ws.resolve("f"), "a\nb\nc\n");
    FsHarness.Run run = fs.run(Ops.patch("f", "@@ -1,3 +1,3 @@\n a\n-x\n+y\n c\n"));
    assertThat(run.detail())
        .isEqualTo("refused: patch rejected: hunk 1 @@ -1,3 +1,3 @@ does not apply to " + ws.resolve("f")
            + ": at line 2 expected \"x\" but found \"b\"");
    assertThat(ws.resolve("f")).hasContent("a\nb\nc");
    assertThat(fs.changes).isEmpty();
  }

  @Test
  void patch_fromDevNull_createsTheFileAndParents_butNotOverAnExistingOne() throws Exception {
    String create = "--- /dev/null\n+++ b/src/new.txt\n@@ -0,0 +1 @@\n+hello\n";
    FsHarness.Run run = fs.run(Ops.patch("src/new.txt", create));
    assertThat(run.text()).contains("\"created\":true");
    assertThat(ws.resolve("src/new.txt")).hasContent("hello");
    assertThat(fs.changes.get(0).before()).isEmpty();
    assertThat(fs.run(Ops.patch("src/new.txt", create)).detail())
        .isEqualTo("refused: patch rejected: it creates " + ws.resolve("src/new.txt") + ", which already exists");
  }

  @Test
  void patch_toDevNull_deletesTheFile_onlyWhenItsContentMatchesCompletely() throws Exception {
    Files.writeString(ws.resolve("old"), "x\ny\n");
    assertThat(fs.run(Ops.patch("old", "--- a/old\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")).detail())
        .contains("it deletes " + ws.resolve("old") + " but 2 bytes would remain");
    assertThat(ws.resolve("old")).exists();
    FsHarness.Run run = fs.run(Ops.patch("old", "--- a/old\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n"));
    assertThat(run.text()).contains("\"deleted\":true", "\"sha256After\":null");
    assertThat(ws.resolve("old")).doesNotExist();
    assertThat(fs.changes).containsExactly(
        new FsHarness.Change("fs-2", ws.resolve("old"), Optional.of(FsOperationsTest.sha("x\ny\n")), Optional.empty()));
  }

  @Test
  void patch_ofAMissingFile_orAFileOverTheLimit_isRefused() throws Exception {
    assertThat(fs.run(Ops.patch("nope", "@@ -1 +1 @@\n-a\n+b\n")).detail())
        .isEqualTo("refused: " + ws.resolve("nope") + " does not exist");
    try (FsHarness small = new FsHarness(java.util.List.of(new FsRoot(ws, true)), new FsLimits(100, 100, 10),
        java.time.Clock.systemUTC())) {
      Files.writeString(ws.resolve("big"), "a\n".repeat(60));
      assertThat(small.run(Ops.patch("big", "@@ -1 +1 @@\n-a\n+b\n")).detail())
          .isEqualTo("refused: patching a file of 120 bytes exceeds the write limit of 100 bytes");
    }
  }
}
