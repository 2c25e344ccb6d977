package io.cortexhub.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.proto.node.v1.FsPayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hub's checks of an fs task's operation: shape only, confinement is the node's. */
class FsOperationTest {
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  @Test
  void everyOperation_roundTripsThroughItsStoredBytes() {
    List<FsOperation> all = List.of(
        FsOperation.list("src", true),
        FsOperation.stat("a.txt"),
        FsOperation.read("a.txt", 10, 20),
        FsOperation.write("a.txt", HELLO, true, "a".repeat(64)),
        FsOperation.append("a.txt", HELLO, false, ""),
        FsOperation.patch("a.txt", "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-x\n+y\n"),
        FsOperation.mkdir("dir/sub", true),
        FsOperation.move("a.txt", "b.txt", true),
        FsOperation.delete("dir", true));

    for (FsOperation op : all) {
      assertThat(FsOperation.parse(op.toBytes())).as(op.toString()).isEqualTo(op);
    }
    assertThat(all).extracting(FsOperation::op)
        .containsExactly("list", "stat", "read", "write", "append", "patch", "mkdir", "move", "delete");
    assertThat(all).filteredOn(FsOperation::changesFiles).extracting(FsOperation::op)
        .containsExactly("write", "append", "patch", "mkdir", "move", "delete");
  }

  @Test
  void move_namesBothPaths() {
    FsOperation move = FsOperation.move("old/a.txt", "new/a.txt", false);

    assertThat(move.path()).isEqualTo("old/a.txt");
    assertThat(move.target()).isEqualTo("new/a.txt");
    assertThat(move).hasToString("move old/a.txt -> new/a.txt");
    assertThat(move.payload().getMove().getReplace()).isFalse();
  }

  @Test
  void anOperationWithoutAnOp_isRefused() {
    assertThatThrownBy(() -> FsOperation.of(FsPayload.getDefaultInstance()))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageStartingWith("fs.op:");
  }

  @Test
  void blankPaths_areRefused_forEachPathOfTheOperation() {
    assertThatThrownBy(() -> FsOperation.read(" ", 0, 0))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessage("fs.path: required for read");
    assertThatThrownBy(() -> FsOperation.move("a", "", false))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessage("fs.path: required for move");
  }

  @Test
  void pathsWithNul_orLongerThanAnyFilesystemAllows_areRefused() {
    assertThatThrownBy(() -> FsOperation.stat("a\0/etc/passwd"))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> FsOperation.stat("a/".repeat(2_049)))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageContaining("at most 4096 characters");
  }

  @Test
  void dataOverTheLimit_isRefused_withTheWayToWriteALargerFile() {
    byte[] justFits = new byte[FsOperation.MAX_DATA_BYTES];
    assertThat(FsOperation.write("big.bin", justFits, false, "").payload().getWrite().getData().size())
        .isEqualTo(FsOperation.MAX_DATA_BYTES);

    assertThatThrownBy(() -> FsOperation.append("big.bin", new byte[FsOperation.MAX_DATA_BYTES + 1], false, ""))
        .isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("fs.data: at most 1048576 bytes").hasMessageContaining("followed by appends");
  }

  @Test
  void aMalformedExpectedHash_orAnEmptyPatch_isRefused() {
    assertThatThrownBy(() -> FsOperation.write("a", HELLO, false, "abc"))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageStartingWith("fs.expectedSha256:");
    assertThatThrownBy(() -> FsOperation.patch("a", "  "))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessage("fs.diff: required for patch");
  }
}
