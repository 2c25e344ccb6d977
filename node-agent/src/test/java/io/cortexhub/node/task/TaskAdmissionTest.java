package io.cortexhub.node.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.verify.InMemoryReplayCache;
import io.cortexhub.node.verify.ReplayCache;
import io.cortexhub.node.verify.ReplayCacheException;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every refusal of the security contract, each with the reason and a detail the hub records. */
class TaskAdmissionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeClock clock = new FakeClock(T0);
  private final TestTaskSigner hub = TestTaskSigner.create();
  private final InMemoryReplayCache replay = new InMemoryReplayCache(clock);
  private final TaskAdmission admission = new TaskAdmission(Set.of("echo", "shell"), hub.verifier(), replay, clock);
  private final State state = new State();
  private int nonces;

  /** A hand-written AdmissionState. */
  static final class State implements AdmissionState {
    Optional<String> nodeId = Optional.of("n1");
    boolean draining;
    int freeSlots = 1;
    Set<String> ids = new HashSet<>();
    Optional<SessionGrant> grant = Optional.of(new SessionGrant(Set.of("echo", "shell"), T0.plus(Duration.ofMinutes(15))));

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
    public Optional<SessionGrant> sessionGrant() {
      return grant;
    }
  }

  private ByteString nonce() {
    byte[] n = new byte[16];
    n[0] = (byte) ++nonces;
    return ByteString.copyFrom(n);
  }

  private TaskSpec.Builder echo() {
    return TaskSpec.newBuilder()
        .setTaskId("t-" + (nonces + 1))
        .setNodeId("n1")
        .setWorkspace("default")
        .setRequestedBy("alice")
        .setIssuedAtUnixMs(clock.millis())
        .setNotAfterUnixMs(clock.millis() + 60_000)
        .setCapability("echo")
        .setNonce(nonce())
        .setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8("hi")));
  }

  private Admission decide(TaskSpec.Builder spec) {
    return admission.decide(hub.assignment(spec.build()), state);
  }

  private Admission.Reject rejected(Admission a, RejectReason reason) {
    assertThat(a).isInstanceOf(Admission.Reject.class);
    Admission.Reject r = (Admission.Reject) a;
    assertThat(r.reason()).as(r.detail()).isEqualTo(reason);
    assertThat(r.detail()).isNotBlank();
    return r;
  }

  @Test
  void signedTaskForThisNode_isAccepted() {
    assertThat(decide(echo())).isInstanceOf(Admission.Accept.class);
  }

  @Test
  void garbageBytes_areInvalid() {
    ByteString junk = ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01, 0x02});
    rejected(admission.decide(hub.assignment(junk), state), RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void flippedByte_inTheTask_isBadSignature() {
    TaskAssignment good = hub.assignment(echo().build());
    byte[] bytes = good.getTask().toByteArray();
    // Flip a bit inside the echo message, so the bytes still parse as a valid task.
    bytes[bytes.length - 1] ^= 0x01;
    TaskAssignment flipped = good.toBuilder().setTask(ByteString.copyFrom(bytes)).build();
    Admission.Reject r = rejected(admission.decide(flipped, state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
    assertThat(r.detail()).contains("does not verify");
    assertThat(r.taskId()).isEqualTo("t-1");
  }

  @Test
  void flippedByte_inTheSignature_isBadSignature() {
    TaskAssignment good = hub.assignment(echo().build());
    byte[] sig = good.getSignature().toByteArray();
    sig[10] ^= 0x40;
    TaskAssignment bad = good.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    rejected(admission.decide(bad, state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
  }

  @Test
  void signatureByAnotherKey_underThePinnedKeyId_isBadSignature() {
    TestTaskSigner forger = hub.impostor();
    assertThat(forger.keyId()).isEqualTo(hub.keyId());
    Admission.Reject r = rejected(admission.decide(forger.assignment(echo().build()), state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
    assertThat(r.detail()).contains("does not verify with key " + hub.keyId());
  }

  @Test
  void unknownKeyId_isBadSignature() {
    TestTaskSigner other = TestTaskSigner.create();
    Admission.Reject r = rejected(admission.decide(other.assignment(echo().build()), state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
    assertThat(r.detail()).contains("unknown task-signing key id '" + other.keyId() + "'").contains(hub.keyId());
  }

  @Test
  void emptySignature_isBadSignature() {
    TaskAssignment unsigned = TaskAssignment.newBuilder().setTask(echo().build().toByteString()).setKeyId(hub.keyId()).build();
    Admission.Reject r = rejected(admission.decide(unsigned, state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
    assertThat(r.detail()).contains("no signature");
  }

  @Test
  void truncatedSignature_isBadSignature() {
    TaskAssignment good = hub.assignment(echo().build());
    TaskAssignment cut = good.toBuilder().setSignature(good.getSignature().substring(0, 63)).build();
    rejected(admission.decide(cut, state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
  }

  @Test
  void badSignature_isCheckedBeforeEverythingElse() {
    // Wrong node, expired, no nonce: still BAD_SIGNATURE, because nothing unsigned is trusted.
    TaskSpec spec = echo().setNodeId("n2").setNotAfterUnixMs(1).clearNonce().build();
    TaskAssignment unsigned = TaskAssignment.newBuilder().setTask(spec.toByteString()).setKeyId(hub.keyId()).build();
    rejected(admission.decide(unsigned, state), RejectReason.REJECT_REASON_BAD_SIGNATURE);
  }

  @Test
  void unsafeTaskId_orMissingNodeId_isInvalid() {
    rejected(decide(echo().setTaskId("../etc")), RejectReason.REJECT_REASON_INVALID);
    rejected(decide(echo().setTaskId("")), RejectReason.REJECT_REASON_INVALID);
    rejected(decide(echo().setNodeId("")), RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void anotherNodesTask_isWrongNode() {
    Admission.Reject r = rejected(decide(echo().setNodeId("n2")), RejectReason.REJECT_REASON_WRONG_NODE);
    assertThat(r.detail()).contains("n2").contains("n1");
  }

  @Test
  void beforeWelcome_everyTaskIsWrongNode() {
    state.nodeId = Optional.empty();
    rejected(decide(echo()), RejectReason.REJECT_REASON_WRONG_NODE);
  }

  @Test
  void expiredTask_isRefused_butWithinTheSkewIsAccepted() {
    long now = clock.millis();
    Admission.Reject r = rejected(decide(echo().setIssuedAtUnixMs(now - 120_000).setNotAfterUnixMs(now - 30_001)), RejectReason.REJECT_REASON_EXPIRED);
    assertThat(r.detail()).contains("in the past");
    assertThat(decide(echo().setIssuedAtUnixMs(now - 120_000).setNotAfterUnixMs(now - 30_000))).isInstanceOf(Admission.Accept.class);
  }

  @Test
  void notYetValidBeyondTheSkew_isExpired_butWithinTheSkewIsAccepted() {
    long now = clock.millis();
    Admission.Reject r = rejected(decide(echo().setIssuedAtUnixMs(now + 30_001).setNotAfterUnixMs(now + 90_000)), RejectReason.REJECT_REASON_EXPIRED);
    assertThat(r.detail()).contains("not yet valid");
    assertThat(decide(echo().setIssuedAtUnixMs(now + 30_000).setNotAfterUnixMs(now + 90_000))).isInstanceOf(Admission.Accept.class);
  }

  @Test
  void missingValidityTimes_areInvalid() {
    rejected(decide(echo().setNotAfterUnixMs(0)), RejectReason.REJECT_REASON_INVALID);
    rejected(decide(echo().setIssuedAtUnixMs(0)), RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void missingOrShortNonce_isInvalid() {
    rejected(decide(echo().clearNonce()), RejectReason.REJECT_REASON_INVALID);
    rejected(decide(echo().setNonce(ByteString.copyFromUtf8("short"))), RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void replayedNonce_isReplayed_evenUnderANewTaskId() {
    TaskSpec.Builder first = echo();
    assertThat(decide(first)).isInstanceOf(Admission.Accept.class);
    Admission.Reject r = rejected(decide(first.setTaskId("t-other")), RejectReason.REJECT_REASON_REPLAYED);
    assertThat(r.detail()).contains("nonce");
  }

  @Test
  void exactReplayOfTheSameAssignment_isReplayed() {
    TaskAssignment a = hub.assignment(echo().build());
    assertThat(admission.decide(a, state)).isInstanceOf(Admission.Accept.class);
    rejected(admission.decide(a, state), RejectReason.REJECT_REASON_REPLAYED);
  }

  @Test
  void nonceIsRememberedUntilNotAfterPlusSkew() {
    TaskAssignment a = hub.assignment(echo().setNotAfterUnixMs(clock.millis() + 1_000).build());
    assertThat(admission.decide(a, state)).isInstanceOf(Admission.Accept.class);
    clock.advance(Duration.ofMillis(1_000 + 30_000));
    rejected(admission.decide(a, state), RejectReason.REJECT_REASON_REPLAYED);
    clock.advance(Duration.ofMillis(1));
    // Forgotten now — and the task is refused as expired instead, so it still never runs twice.
    rejected(admission.decide(a, state), RejectReason.REJECT_REASON_EXPIRED);
    assertThat(replay.size()).isZero();
  }

  @Test
  void knownTaskId_isReplayed() {
    state.ids.add("t-1");
    rejected(decide(echo()), RejectReason.REJECT_REASON_REPLAYED);
  }

  @Test
  void nonceThatCannotBeRecorded_isRefusedAsCapacity() {
    ReplayCache broken =
        new ReplayCache() {
          @Override
          public boolean firstUse(ByteString nonce, Instant retainUntil) {
            throw new ReplayCacheException("disk full", new java.io.IOException("disk full"));
          }

          @Override
          public int size() {
            return 0;
          }

          @Override
          public void close() {}
        };
    TaskAdmission a = new TaskAdmission(Set.of("echo"), hub.verifier(), broken, clock);
    Admission.Reject r = rejected(a.decide(hub.assignment(echo().build()), state), RejectReason.REJECT_REASON_CAPACITY);
    assertThat(r.detail()).contains("disk full");
  }

  @Test
  void capabilityNotOffered_isUnsupported() {
    rejected(decide(echo().setCapability("browser")), RejectReason.REJECT_REASON_UNSUPPORTED);
  }

  @Test
  void capabilityNotGrantedBySessionToken_isUnsupported() {
    state.grant = Optional.of(new SessionGrant(Set.of("echo"), T0.plus(Duration.ofMinutes(15))));
    TaskSpec.Builder shell = echo().setCapability("shell").setShell(ShellPayload.newBuilder().addArgv("ls"));
    Admission.Reject r = rejected(decide(shell), RejectReason.REJECT_REASON_UNSUPPORTED);
    assertThat(r.detail()).isEqualTo("capability shell is not granted to this node");
  }

  @Test
  void withoutSessionToken_nothingIsGranted() {
    state.grant = Optional.empty();
    Admission.Reject r = rejected(decide(echo()), RejectReason.REJECT_REASON_UNSUPPORTED);
    assertThat(r.detail()).contains("capability echo is not granted to this node");
  }

  @Test
  void expiredSessionToken_grantsNothing() {
    state.grant = Optional.of(new SessionGrant(Set.of("echo"), T0.minus(Duration.ofSeconds(31))));
    Admission.Reject r = rejected(decide(echo()), RejectReason.REJECT_REASON_UNSUPPORTED);
    assertThat(r.detail()).contains("session token expired");
  }

  @Test
  void noPayload_isUnsupported_andPayloadNotMatchingCapability_orEmptyArgv_isInvalid() {
    rejected(decide(echo().clearEcho()), RejectReason.REJECT_REASON_UNSUPPORTED);
    rejected(decide(echo().setCapability("shell")), RejectReason.REJECT_REASON_INVALID);
    rejected(decide(echo().setCapability("shell").setShell(ShellPayload.newBuilder())), RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void drainingNode_refusesWithDraining() {
    state.draining = true;
    rejected(decide(echo()), RejectReason.REJECT_REASON_DRAINING);
  }

  @Test
  void noFreeSlot_isCapacity_andBurnsTheNonce() {
    state.freeSlots = 0;
    TaskSpec.Builder spec = echo();
    TaskAssignment a = hub.assignment(spec.build());
    rejected(admission.decide(a, state), RejectReason.REJECT_REASON_CAPACITY);
    // The hub re-dispatches with a fresh nonce; these exact bytes never run later.
    state.freeSlots = 1;
    rejected(admission.decide(a, state), RejectReason.REJECT_REASON_REPLAYED);
    assertThat(decide(spec.setNonce(nonce()))).isInstanceOf(Admission.Accept.class);
  }
}
