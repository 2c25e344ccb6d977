package io.cortexhub.node.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskAdmissionTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TaskAdmission admission = new TaskAdmission(Set.of("echo", "shell"), clock);
  private final State state = new State();

  /** A hand-written AdmissionState. */
  static final class State implements AdmissionState {
    Optional<String> nodeId = Optional.of("n1");
    boolean draining;
    int freeSlots = 1;
    Set<String> ids = new HashSet<>();
    Set<ByteString> nonces = new HashSet<>();

    @Override
    public Optional<String> nodeId() {
      return nodeId;
    }

    @Override
    public boolean draining() {
      return draining;
    }

    @Override
    public int freeSlots() {
      return freeSlots;
    }

    @Override
    public boolean knowsTask(String taskId) {
      return ids.contains(taskId);
    }

    @Override
    public boolean knowsNonce(ByteString nonce) {
      return nonces.contains(nonce);
    }
  }

  private static TaskSpec.Builder echo() {
    return TaskSpec.newBuilder()
        .setTaskId("t-1")
        .setNodeId("n1")
        .setCapability("echo")
        .setNonce(ByteString.copyFromUtf8("nonce-1"))
        .setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8("hi")));
  }

  private Admission decide(TaskSpec.Builder spec) {
    return admission.decide(spec.build().toByteString(), state);
  }

  private RejectReason reasonOf(Admission a) {
    assertThat(a).isInstanceOf(Admission.Reject.class);
    Admission.Reject r = (Admission.Reject) a;
    assertThat(r.detail()).isNotBlank();
    return r.reason();
  }

  @Test
  void wellFormedTaskForThisNode_isAccepted() {
    assertThat(decide(echo())).isInstanceOf(Admission.Accept.class);
  }

  @Test
  void garbageBytes_areInvalid() {
    Admission a = admission.decide(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01, 0x02}), state);
    assertThat(reasonOf(a)).isEqualTo(RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void unsafeTaskId_isInvalid() {
    assertThat(reasonOf(decide(echo().setTaskId("../etc")))).isEqualTo(RejectReason.REJECT_REASON_INVALID);
    assertThat(reasonOf(decide(echo().setTaskId("")))).isEqualTo(RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void missingNodeId_isInvalid() {
    assertThat(reasonOf(decide(echo().setNodeId("")))).isEqualTo(RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void taskForAnotherNode_isWrongNode() {
    assertThat(reasonOf(decide(echo().setNodeId("n2")))).isEqualTo(RejectReason.REJECT_REASON_WRONG_NODE);
  }

  @Test
  void beforeWelcome_everyTaskIsWrongNode() {
    state.nodeId = Optional.empty();
    assertThat(reasonOf(decide(echo()))).isEqualTo(RejectReason.REJECT_REASON_WRONG_NODE);
  }

  @Test
  void knownTaskId_orNonce_isReplayed() {
    state.ids.add("t-1");
    assertThat(reasonOf(decide(echo()))).isEqualTo(RejectReason.REJECT_REASON_REPLAYED);
    state.ids.clear();
    state.nonces.add(ByteString.copyFromUtf8("nonce-1"));
    assertThat(reasonOf(decide(echo()))).isEqualTo(RejectReason.REJECT_REASON_REPLAYED);
  }

  @Test
  void pastNotAfter_isExpired_butNoDeadlineNeverExpires() {
    long now = clock.millis();
    assertThat(reasonOf(decide(echo().setNotAfterUnixMs(now - 1)))).isEqualTo(RejectReason.REJECT_REASON_EXPIRED);
    assertThat(decide(echo().setNotAfterUnixMs(now))).isInstanceOf(Admission.Accept.class);
    assertThat(decide(echo().setNotAfterUnixMs(0))).isInstanceOf(Admission.Accept.class);
  }

  @Test
  void drainingNode_refusesWithDraining() {
    state.draining = true;
    assertThat(reasonOf(decide(echo()))).isEqualTo(RejectReason.REJECT_REASON_DRAINING);
  }

  @Test
  void capabilityNotOffered_orNoPayload_isUnsupported() {
    assertThat(reasonOf(decide(echo().setCapability("browser")))).isEqualTo(RejectReason.REJECT_REASON_UNSUPPORTED);
    assertThat(reasonOf(decide(echo().clearEcho()))).isEqualTo(RejectReason.REJECT_REASON_UNSUPPORTED);
  }

  @Test
  void payloadNotMatchingCapability_orEmptyArgv_isInvalid() {
    assertThat(reasonOf(decide(echo().setCapability("shell")))).isEqualTo(RejectReason.REJECT_REASON_INVALID);
    TaskSpec.Builder shell = echo().setCapability("shell").setShell(ShellPayload.newBuilder());
    assertThat(reasonOf(decide(shell))).isEqualTo(RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void noFreeSlot_isCapacity() {
    state.freeSlots = 0;
    assertThat(reasonOf(decide(echo()))).isEqualTo(RejectReason.REJECT_REASON_CAPACITY);
  }
}
