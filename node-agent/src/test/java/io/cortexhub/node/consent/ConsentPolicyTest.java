package io.cortexhub.node.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.policy.ConsentMode;
import io.cortexhub.proto.node.v1.FsPayload;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is asked under each mode, for commands and for file operations. */
class ConsentPolicyTest {
  private final ConsentPolicy policy = new ConsentPolicy(new SafeCommandClassifier());
  private static final List<String> LS = List.of("ls", "-l");
  private static final List<String> RM = List.of("rm", "-rf", "build");
  private static final EnumSet<FsOperation> CHANGES =
      EnumSet.of(FsOperation.WRITE, FsOperation.APPEND, FsOperation.PATCH, FsOperation.MKDIR, FsOperation.MOVE,
          FsOperation.DELETE);

  @Test
  void strict_asksForEveryCommand_andEveryFileChange() {
    assertThat(policy.needsConsent(ConsentMode.STRICT, LS)).isTrue();
    assertThat(policy.needsConsent(ConsentMode.STRICT, RM)).isTrue();
    for (FsOperation op : FsOperation.values()) {
      assertThat(policy.needsConsent(ConsentMode.STRICT, op)).as(op.name()).isEqualTo(CHANGES.contains(op));
    }
  }

  @Test
  void autoApproveSafe_asksOnlyForWhatMayChangeState() {
    assertThat(policy.needsConsent(ConsentMode.AUTO_APPROVE_SAFE, LS)).isFalse();
    assertThat(policy.needsConsent(ConsentMode.AUTO_APPROVE_SAFE, List.of("git", "status"))).isFalse();
    assertThat(policy.needsConsent(ConsentMode.AUTO_APPROVE_SAFE, RM)).isTrue();
    assertThat(policy.needsConsent(ConsentMode.AUTO_APPROVE_SAFE, List.of("unknown-tool"))).isTrue();
    for (FsOperation op : FsOperation.values()) {
      assertThat(policy.needsConsent(ConsentMode.AUTO_APPROVE_SAFE, op)).as(op.name()).isEqualTo(CHANGES.contains(op));
    }
  }

  @Test
  void auto_neverAsks() {
    assertThat(policy.needsConsent(ConsentMode.AUTO, RM)).isFalse();
    for (FsOperation op : FsOperation.values()) {
      assertThat(policy.needsConsent(ConsentMode.AUTO, op)).isFalse();
    }
  }

  @Test
  void fsOperations_mapFromTheWirePayload() {
    assertThat(FsOperation.of(FsPayload.OpCase.READ)).isEqualTo(FsOperation.READ);
    assertThat(FsOperation.of(FsPayload.OpCase.DELETE).changesState()).isTrue();
    for (FsPayload.OpCase c : FsPayload.OpCase.values()) {
      if (c != FsPayload.OpCase.OP_NOT_SET) {
        assertThat(FsOperation.of(c).name()).isEqualTo(c.name());
      }
    }
    assertThatThrownBy(() -> FsOperation.of(FsPayload.OpCase.OP_NOT_SET)).hasMessageContaining("no operation");
  }

  @Test
  void modes_haveThePolicyFilesWireNames() {
    assertThat(ConsentMode.values()).extracting(ConsentMode::wireName)
        .containsExactly("strict", "auto-approve-safe", "auto");
    assertThat(ConsentMode.fromWireName("auto-approve-safe")).contains(ConsentMode.AUTO_APPROVE_SAFE);
    assertThat(ConsentMode.fromWireName("AUTO")).isEmpty();
  }
}
