package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The unified-diff parser and the exact (fuzz 0) applier. */
class PatcherTest {
  private static String apply(String original, String diff) {
    UnifiedDiff d = UnifiedDiff.parse(Patcher.bytesAsText(diff.getBytes(StandardCharsets.UTF_8)));
    return new String(Patcher.apply(d, original.getBytes(StandardCharsets.UTF_8), "f").content(), StandardCharsets.UTF_8);
  }

  private static Patcher.Result result(String original, String diff) {
    UnifiedDiff d = UnifiedDiff.parse(Patcher.bytesAsText(diff.getBytes(StandardCharsets.UTF_8)));
    return Patcher.apply(d, original.getBytes(StandardCharsets.UTF_8), "f");
  }

  private static final String TEN = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

  @Test
  void gitDiffWithHeaders_modifiesLines() {
    String diff = """
        diff --git a/f b/f
        index 3b18e51..a1b2c3d 100644
        --- a/f
        +++ b/f
        @@ -2,3 +2,4 @@ some function
         2
        -3
        +three
        +3.5
         4
        """;
    assertThat(apply(TEN, diff)).isEqualTo("1\n2\nthree\n3.5\n4\n5\n6\n7\n8\n9\n10\n");
  }

  @Test
  void severalHunks_applyInOrder() {
    String diff = """
        --- a/f
        +++ b/f
        @@ -1,2 +1,2 @@
        -1
        +one
         2
        @@ -9,2 +9,2 @@
         9
        -10
        +ten
        """;
    assertThat(apply(TEN, diff)).isEqualTo("one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n");
  }

  @Test
  void hunkAtAnotherLine_isFoundByItsContext_andTheShiftReported() {
    String diff = """
        @@ -3,3 +3,3 @@
         6
        -7
        +seven
         8
        """;
    Patcher.Result r = result(TEN, diff);
    assertThat(new String(r.content(), StandardCharsets.UTF_8)).contains("6\nseven\n8\n");
    assertThat(r.offsets()).containsExactly(3);
  }

  @Test
  void mismatchedContext_isRefused_namingTheLine() {
    String diff = """
        --- a/f
        +++ b/f
        @@ -2,3 +2,3 @@
         2
        -three
        +3
         4
        """;
    assertThatThrownBy(() -> apply(TEN, diff))
        .isInstanceOf(FsRefusedException.class)
        .hasMessage("patch rejected: hunk 1 @@ -2,3 +2,3 @@ does not apply to f: at line 3 expected \"three\" but found \"3\"");
  }

  @Test
  void hunkPastTheEnd_isRefused() {
    String diff = "@@ -10,2 +10,2 @@\n 10\n-11\n+eleven\n";
    assertThatThrownBy(() -> apply(TEN, diff))
        .hasMessageContaining("expected \"11\" at line 11 but the file has only 10 lines");
  }

  @Test
  void noNewlineAtEnd_isHonouredOnBothSides() {
    String add = """
        @@ -1,2 +1,2 @@
         a
        -b
        \\ No newline at end of file
        +b
        """;
    assertThat(apply("a\nb", add)).isEqualTo("a\nb\n");
    String remove = """
        @@ -1,2 +1,2 @@
         a
        -b
        +b
        \\ No newline at end of file
        """;
    assertThat(apply("a\nb\n", remove)).isEqualTo("a\nb");
    // fuzz 0: the file's final newline is part of what must match
    assertThatThrownBy(() -> apply("a\nb\n", add)).hasMessageContaining("at line 2 expected \"b\" (no newline at end) but found \"b\"");
  }

  @Test
  void createAndDeleteThroughDevNull() {
    UnifiedDiff create = UnifiedDiff.parse("--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    assertThat(create.createsFile()).isTrue();
    assertThat(new String(Patcher.apply(create, new byte[0], "f").content(), StandardCharsets.UTF_8)).isEqualTo("x\ny\n");
    UnifiedDiff delete = UnifiedDiff.parse("--- a/old.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n");
    assertThat(delete.deletesFile()).isTrue();
    assertThat(Patcher.apply(delete, "x\ny\n".getBytes(StandardCharsets.UTF_8), "f").content()).isEmpty();
  }

  @Test
  void bytesThatAreNotUtf8_andCrlf_arePatchedExactly() {
    byte[] latin1 = "caf\u00e9\r\nna\u00efve\r\n".getBytes(StandardCharsets.ISO_8859_1);
    String diff = "@@ -1,2 +1,2 @@\n caf\u00e9\r\n-na\u00efve\r\n+naive\r\n";
    UnifiedDiff d = UnifiedDiff.parse(Patcher.bytesAsText(diff.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(Patcher.apply(d, latin1, "f").content())
        .isEqualTo("caf\u00e9\r\nnaive\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void contextLineWithItsSpaceStripped_stillCounts() {
    String diff = "@@ -1,3 +1,3 @@\n a\n\n-c\n+C\n";
    assertThat(apply("a\n\nc\n", diff)).isEqualTo("a\n\nC\n");
  }

  @Test
  void insertionWithoutContext_appliesOnlyAtItsStatedLine() {
    assertThat(apply("a\nb\n", "@@ -1,0 +2 @@\n+between\n")).isEqualTo("a\nbetween\nb\n");
    assertThatThrownBy(() -> apply("a\n", "@@ -5,0 +6 @@\n+x\n")).hasMessageContaining("does not apply");
  }

  @Test
  void malformedPatches_areRefusedWithTheReason() {
    assertThatThrownBy(() -> UnifiedDiff.parse("just some text\n")).hasMessage("patch rejected: the patch has no hunks");
    assertThatThrownBy(() -> UnifiedDiff.parse("@@ -1,3 +1,3 @@\n a\n-b\n"))
        .hasMessage("patch rejected: hunk 1 @@ -1,3 +1,3 @@ ends early: 1 old and 2 new lines missing");
    assertThatThrownBy(() -> UnifiedDiff.parse("@@ -1 +1 @@\n-a\n+b\n+c\n"))
        .hasMessageContaining("has more lines than its header");
    assertThatThrownBy(() -> UnifiedDiff.parse("@@ -x +1 @@\n-a\n")).hasMessageContaining("malformed header");
    assertThatThrownBy(() -> UnifiedDiff.parse("@@ -1 +1 @@\n*a\n")).hasMessageContaining("unexpected line: \"*a\"");
    assertThatThrownBy(() -> UnifiedDiff.parse("""
        --- a/one
        +++ b/one
        @@ -1 +1 @@
        -a
        +b
        --- a/two
        +++ b/two
        @@ -1 +1 @@
        -a
        +b
        """)).hasMessage("patch rejected: the patch changes more than one file; send one patch per file");
    assertThatThrownBy(() -> UnifiedDiff.parse("diff --git a/x b/x\nGIT binary patch\nliteral 1\n"))
        .hasMessage("patch rejected: binary patches are not supported");
  }

  @Test
  void formatPatchSignature_isIgnored() {
    String diff = "@@ -1 +1 @@\n-a\n+b\n-- \n2.39.2\n";
    assertThat(apply("a\n", diff)).isEqualTo("b\n");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void whatRealDiffWrites_appliesExactly(@TempDir Path dir) throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 120; round++) {
      String before = randomText(random, List.of());
      String after = edit(random, before);
      Path a = Files.writeString(dir.resolve("a"), before);
      Path b = Files.writeString(dir.resolve("b"), after);
      int context = random.nextInt(4);
      Process p = new ProcessBuilder("diff", "-U" + context, a.toString(), b.toString()).start();
      String diff = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int exit = p.waitFor();
      if (exit == 0) {
        continue; // identical: nothing to patch
      }
      assertThat(exit).as("diff exit").isEqualTo(1);
      UnifiedDiff d = UnifiedDiff.parse(diff);
      byte[] patched = Patcher.apply(d, before.getBytes(StandardCharsets.UTF_8), "a").content();
      assertThat(new String(patched, StandardCharsets.UTF_8)).as("round %d, -U%d:%n%s", round, context, diff).isEqualTo(after);
    }
  }

  private static String randomText(Random random, List<String> seed) {
    List<String> lines = new ArrayList<>(seed);
    int n = seed.isEmpty() ? random.nextInt(30) : 0;
    for (int i = 0; i < n; i++) {
      lines.add(random.nextInt(5) == 0 ? "" : "line " + random.nextInt(12));
    }
    String text = String.join("\n", lines);
    return lines.isEmpty() || random.nextInt(4) == 0 ? text : text + "\n";
  }

  private static String edit(Random random, String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    boolean newline = text.endsWith("\n");
    if (newline) {
      lines.remove(lines.size() - 1);
    }
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = lines.isEmpty() ? 0 : random.nextInt(lines.size() + 1);
      switch (random.nextInt(3)) {
        case 0 -> lines.add(at, "new " + random.nextInt(100));
        case 1 -> {
          if (at < lines.size()) {
            lines.remove(at);
          }
        }
        default -> {
          if (at < lines.size()) {
            lines.set(at, "changed " + random.nextInt(100));
          }
        }
      }
    }
    if (random.nextInt(5) == 0) {
      newline = !newline;
    }
    String joined = String.join("\n", lines);
    return lines.isEmpty() ? "" : newline ? joined + "\n" : joined;
  }
}
