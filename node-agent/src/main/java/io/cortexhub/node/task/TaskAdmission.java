package io.cortexhub.node.task;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cortexhub.node.verify.BadTaskSignatureException;
import io.cortexhub.node.verify.ReplayCache;
import io.cortexhub.node.verify.ReplayCacheException;
import io.cortexhub.node.verify.TaskVerifier;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether the node takes an assignment, in the order of the security contract: parseable
 * (INVALID) → signature and key id (BAD_SIGNATURE) → well-formed (INVALID) → addressed to this node
 * (WRONG_NODE) → inside its validity window, 30 s skew (EXPIRED) → nonce and task id never seen
 * (REPLAYED) → capability offered and granted by the session token (UNSUPPORTED) → payload matches
 * (INVALID / UNSUPPORTED) → not draining (DRAINING) → a free slot (CAPACITY).
 *
 * <p>The signature is checked over the assignment's task bytes exactly as received, and nothing
 * else is trusted before it verified. A nonce that reaches its check is burnt, whatever the final
 * decision: the hub makes a fresh nonce for every dispatch, so only a replay ever brings it back.
 *
 * <p>Thread-safe if the verifier and replay cache are (they are); the node calls it on its serial
 * executor.
 */
public final class TaskAdmission {
  /** How far the node's clock may be from the hub's for validity checks. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** Task ids become directory and file names on the node: keep them to a safe alphabet. */
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Set<String> offered;
  private final TaskVerifier verifier;
  private final ReplayCache replayCache;
  private final Clock clock;

  public TaskAdmission(Set<String> offered, TaskVerifier verifier, ReplayCache replayCache, Clock clock) {
    this.offered = Set.copyOf(offered);
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.replayCache = Objects.requireNonNull(replayCache, "replayCache");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Admission decide(TaskAssignment assignment, AdmissionState state) {
    ByteString taskBytes = assignment.getTask();
    TaskSpec spec;
    try {
      spec = TaskSpec.parseFrom(taskBytes);
    } catch (InvalidProtocolBufferException e) {
      return new Admission.Reject("", RejectReason.REJECT_REASON_INVALID, "task bytes are not a TaskSpec: " + e.getMessage());
    }
    try {
      verifier.verify(taskBytes, assignment.getSignature(), assignment.getKeyId());
    } catch (BadTaskSignatureException e) {
      return reject(spec, RejectReason.REJECT_REASON_BAD_SIGNATURE, e.getMessage());
    }
    String id = spec.getTaskId();
    if (!TASK_ID.matcher(id).matches()) {
      return reject(spec, RejectReason.REJECT_REASON_INVALID, "task_id must be 1..128 characters of [A-Za-z0-9._-], got '" + id + "'");
    }
    if (spec.getNodeId().isEmpty()) {
      return reject(spec, RejectReason.REJECT_REASON_INVALID, "node_id is missing");
    }
    if (state.nodeId().isEmpty() || !state.nodeId().get().equals(spec.getNodeId())) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_WRONG_NODE,
          "task is for node " + spec.getNodeId() + ", this is node " + state.nodeId().orElse("(not welcomed yet)"));
    }
    Admission timing = checkValidity(spec);
    if (timing != null) {
      return timing;
    }
    Admission replay = checkReplay(spec, state);
    if (replay != null) {
      return replay;
    }
    Admission capability = checkCapability(spec, state);
    if (capability != null) {
      return capability;
    }
    Admission payload = checkPayload(spec);
    if (payload != null) {
      return payload;
    }
    if (state.draining()) {
      return reject(spec, RejectReason.REJECT_REASON_DRAINING, "node is draining");
    }
    if (state.freeSlots() <= 0) {
      return reject(spec, RejectReason.REJECT_REASON_CAPACITY, "all task slots are busy");
    }
    return new Admission.Accept(spec);
  }

  private Admission checkValidity(TaskSpec spec) {
    if (spec.getIssuedAtUnixMs() <= 0 || spec.getNotAfterUnixMs() <= 0) {
      return reject(spec, RejectReason.REJECT_REASON_INVALID, "issued_at and not_after are required");
    }
    long now = clock.millis();
    long skew = CLOCK_SKEW.toMillis();
    if (now > spec.getNotAfterUnixMs() + skew) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_EXPIRED,
          "not_after " + Instant.ofEpochMilli(spec.getNotAfterUnixMs()) + " is " + (now - spec.getNotAfterUnixMs())
              + " ms in the past (allowed skew " + skew + " ms)");
    }
    if (spec.getIssuedAtUnixMs() > now + skew) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_EXPIRED,
          "not yet valid: issued_at " + Instant.ofEpochMilli(spec.getIssuedAtUnixMs()) + " is "
              + (spec.getIssuedAtUnixMs() - now) + " ms in the future (allowed skew " + skew + " ms)");
    }
    return null;
  }

  private Admission checkReplay(TaskSpec spec, AdmissionState state) {
    ByteString nonce = spec.getNonce();
    if (nonce.size() != ReplayCache.NONCE_LENGTH) {
      return reject(
          spec, RejectReason.REJECT_REASON_INVALID, "nonce must have " + ReplayCache.NONCE_LENGTH + " bytes, got " + nonce.size());
    }
    if (state.knowsTask(spec.getTaskId())) {
      return reject(spec, RejectReason.REJECT_REASON_REPLAYED, "task " + spec.getTaskId() + " was already received");
    }
    Instant retainUntil = Instant.ofEpochMilli(spec.getNotAfterUnixMs()).plus(CLOCK_SKEW);
    try {
      if (!replayCache.firstUse(nonce, retainUntil)) {
        return reject(spec, RejectReason.REJECT_REASON_REPLAYED, "nonce was already used by an earlier task");
      }
    } catch (ReplayCacheException e) {
      // Not running is the safe side; CAPACITY lets the hub place the task on a healthy node.
      return reject(spec, RejectReason.REJECT_REASON_CAPACITY, "cannot record the task's nonce: " + e.getMessage());
    }
    return null;
  }

  private Admission checkCapability(TaskSpec spec, AdmissionState state) {
    String capability = spec.getCapability();
    if (!offered.contains(capability)) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_UNSUPPORTED,
          "capability '" + capability + "' is not offered (offered: " + String.join(", ", offered.stream().sorted().toList()) + ")");
    }
    Optional<SessionGrant> grant = state.sessionGrant();
    if (grant.isEmpty()) {
      return reject(
          spec, RejectReason.REJECT_REASON_UNSUPPORTED, "capability " + capability + " is not granted to this node (no session token yet)");
    }
    if (clock.millis() > grant.get().expiresAt().toEpochMilli() + CLOCK_SKEW.toMillis()) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_UNSUPPORTED,
          "capability " + capability + " is not granted to this node (session token expired at " + grant.get().expiresAt() + ")");
    }
    if (!grant.get().capabilities().contains(capability)) {
      return reject(spec, RejectReason.REJECT_REASON_UNSUPPORTED, "capability " + capability + " is not granted to this node");
    }
    return null;
  }

  private static Admission checkPayload(TaskSpec spec) {
    String capability = spec.getCapability();
    switch (spec.getPayloadCase()) {
      case PAYLOAD_NOT_SET:
        return reject(spec, RejectReason.REJECT_REASON_UNSUPPORTED, "task has no payload");
      case ECHO:
        if (!capability.equals(EchoRunner.CAPABILITY)) {
          return reject(spec, RejectReason.REJECT_REASON_INVALID, "echo payload for capability '" + capability + "'");
        }
        return null;
      case SHELL:
        if (!capability.equals(ShellRunner.CAPABILITY)) {
          return reject(spec, RejectReason.REJECT_REASON_INVALID, "shell payload for capability '" + capability + "'");
        }
        if (spec.getShell().getArgvCount() == 0 || spec.getShell().getArgv(0).isEmpty()) {
          return reject(spec, RejectReason.REJECT_REASON_INVALID, "shell argv is empty");
        }
        return null;
      case FS:
        // The "fs" runner (node.fs) names the same capability; the payload's op is its to check.
        if (!capability.equals("fs")) {
          return reject(spec, RejectReason.REJECT_REASON_INVALID, "fs payload for capability '" + capability + "'");
        }
        return null;
      default:
        return reject(spec, RejectReason.REJECT_REASON_UNSUPPORTED, "unknown payload " + spec.getPayloadCase());
    }
  }

  private static Admission.Reject reject(TaskSpec spec, RejectReason reason, String detail) {
    return new Admission.Reject(spec.getTaskId(), reason, detail);
  }
}
