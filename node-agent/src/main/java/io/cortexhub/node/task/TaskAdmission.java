package io.cortexhub.node.task;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether the node takes an assignment, checking in a fixed order: parseable (INVALID),
 * well-formed id (INVALID), addressed to us (WRONG_NODE), not seen before (REPLAYED), not expired
 * (EXPIRED), not draining (DRAINING), a capability and payload we offer (UNSUPPORTED / INVALID),
 * and finally a free slot (CAPACITY).
 *
 * <p>The task bytes are parsed exactly once and never re-serialized: later, a signature will be
 * verified over these same bytes. Thread-safe (immutable).
 */
public final class TaskAdmission {
  /** Task ids become directory and file names on the node: keep them to a safe alphabet. */
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Set<String> capabilities;
  private final Clock clock;

  public TaskAdmission(Set<String> capabilities, Clock clock) {
    this.capabilities = Set.copyOf(capabilities);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Admission decide(ByteString taskBytes, AdmissionState state) {
    TaskSpec spec;
    try {
      spec = TaskSpec.parseFrom(taskBytes);
    } catch (InvalidProtocolBufferException e) {
      return new Admission.Reject("", RejectReason.REJECT_REASON_INVALID, "task bytes are not a TaskSpec: " + e.getMessage());
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
    if (state.knowsTask(id)) {
      return reject(spec, RejectReason.REJECT_REASON_REPLAYED, "task " + id + " was already received");
    }
    if (!spec.getNonce().isEmpty() && state.knowsNonce(spec.getNonce())) {
      return reject(spec, RejectReason.REJECT_REASON_REPLAYED, "nonce was already used");
    }
    long now = clock.millis();
    if (spec.getNotAfterUnixMs() > 0 && now > spec.getNotAfterUnixMs()) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_EXPIRED,
          "not_after " + spec.getNotAfterUnixMs() + " is " + (now - spec.getNotAfterUnixMs()) + " ms in the past");
    }
    if (state.draining()) {
      return reject(spec, RejectReason.REJECT_REASON_DRAINING, "node is draining");
    }
    String capability = spec.getCapability();
    if (!capabilities.contains(capability)) {
      return reject(
          spec,
          RejectReason.REJECT_REASON_UNSUPPORTED,
          "capability '" + capability + "' is not offered (offered: " + String.join(", ", capabilities.stream().sorted().toList()) + ")");
    }
    Admission payload = checkPayload(spec);
    if (payload != null) {
      return payload;
    }
    if (state.freeSlots() <= 0) {
      return reject(spec, RejectReason.REJECT_REASON_CAPACITY, "all task slots are busy");
    }
    return new Admission.Accept(spec);
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
      default:
        return reject(spec, RejectReason.REJECT_REASON_UNSUPPORTED, "unknown payload " + spec.getPayloadCase());
    }
  }

  private static Admission.Reject reject(TaskSpec spec, RejectReason reason, String detail) {
    return new Admission.Reject(spec.getTaskId(), reason, detail);
  }
}
