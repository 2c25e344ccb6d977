package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.connector.inbound.AuditCheckpointReport;
import io.cortexhub.hub.connector.inbound.AuditRecordsReport;
import io.cortexhub.hub.connector.inbound.ConsentRequestReport;
import io.cortexhub.hub.connector.inbound.HeartbeatReport;
import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.connector.inbound.ResumeEntry;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.connector.inbound.TaskRejection;
import io.cortexhub.hub.connector.inbound.TaskStartReport;
import io.cortexhub.hub.output.OutputStreamKind;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.proto.node.v1.AuditCheckpoint;
import io.cortexhub.proto.node.v1.AuditRecords;
import io.cortexhub.proto.node.v1.BinaryChunk;
import io.cortexhub.proto.node.v1.Capability;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.cortexhub.proto.node.v1.TaskAwaitingConsent;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskRejected;
import io.cortexhub.proto.node.v1.TaskResumeState;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates node frames and translates them into the connector's inbound records. Every check
 * failure throws {@link FrameRejectedException} naming the field. Stateless.
 */
final class FrameTranslator {
  static final int PROTOCOL_VERSION = 1;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int SHA256_BYTES = 32;
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,128}");
  private static final Pattern CONSENT_MODE = Pattern.compile("|strict|auto-approve-safe|auto");

  private FrameTranslator() {}

  /** Validates {@code h}, then asks {@code identity} who the node is (only for a valid Hello). */
  static NodeHello hello(Hello h, java.util.function.Supplier<NodeIdentity> identity) {
    if (h.getProtocolVersion() != PROTOCOL_VERSION) {
      throw FrameRejectedException.precondition("unsupported protocol version "
          + h.getProtocolVersion() + "; this hub speaks version " + PROTOCOL_VERSION);
    }
    if (!NAME.matcher(h.getNodeName()).matches()) {
      throw FrameRejectedException.invalid(
          "hello.node_name must be 1..128 characters of [A-Za-z0-9._-], got '"
              + abbreviate(h.getNodeName()) + "'");
    }
    if (!h.hasManifest()) {
      throw FrameRejectedException.invalid("hello.manifest is required");
    }
    Manifest m = h.getManifest();
    if (m.getMaxConcurrentTasks() < 1) {
      throw FrameRejectedException.invalid("manifest.max_concurrent_tasks must be at least 1");
    }
    for (Capability c : m.getCapabilitiesList()) {
      if (!NAME.matcher(c.getName()).matches()) {
        throw FrameRejectedException.invalid("manifest.capabilities: bad name '"
            + abbreviate(c.getName()) + "'");
      }
    }
    m.getLabelsMap().forEach((k, v) -> {
      if (!LABEL_KEY.matcher(k).matches() || v.length() > 256) {
        throw FrameRejectedException.invalid("manifest.labels: bad label '" + abbreviate(k) + "'");
      }
    });
    for (TaskResumeState r : h.getResumeList()) {
      taskId(r.getTaskId(), "hello.resume.task_id");
    }
    checkPolicy(m);
    NodeView.Manifest manifest = new NodeView.Manifest(m.getAgentVersion(), m.getOsName(),
        m.getOsVersion(), m.getArch(), m.getKernel(), m.getCpus(), m.getMemoryBytes(), m.getJvm(),
        m.getHostname(), m.getIsolation().isEmpty() ? "none" : m.getIsolation(), m.getConsentMode(),
        m.getPolicyDigest(), m.getPolicy());
    return new NodeHello(identity.get(), h.getNodeName(), h.getInstanceId(), manifest,
        m.getCapabilitiesList().stream().map(Capability::getName).distinct().toList(),
        m.getLabelsMap(), m.getMaxConcurrentTasks());
  }

  /**
   * The owner's policy as the node reports it: the hub stores and shows it, so it must be what it
   * claims to be — a known consent mode, a bounded text, and the digest of exactly that text.
   */
  private static void checkPolicy(Manifest m) {
    if (!CONSENT_MODE.matcher(m.getConsentMode()).matches()) {
      throw FrameRejectedException.invalid("manifest.consent_mode must be strict, auto-approve-safe or auto,"
          + " got '" + abbreviate(m.getConsentMode()) + "'");
    }
    if (m.getPolicy().length() > NodeView.MAX_POLICY_CHARS) {
      throw FrameRejectedException.invalid("manifest.policy is longer than " + NodeView.MAX_POLICY_CHARS
          + " characters");
    }
    if (m.getPolicy().isEmpty() ? !m.getPolicyDigest().isEmpty()
        : !m.getPolicyDigest().equals(sha256Hex(m.getPolicy()))) {
      throw FrameRejectedException.invalid("manifest.policy_digest is not the SHA-256 of manifest.policy");
    }
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static List<ResumeEntry> resume(Hello h) {
    return h.getResumeList().stream().map(r -> new ResumeEntry(r.getTaskId(), r.getAckedSeq(),
        r.getProducedSeq(), r.getFinished())).toList();
  }

  static HeartbeatReport heartbeat(io.cortexhub.proto.node.v1.Heartbeat hb) {
    return new HeartbeatReport(hb.getSentAtUnixMs(), hb.getRunningTasks(), hb.getFreeSlots(),
        hb.getLoadAverage());
  }

  static TaskRejection rejected(TaskRejected r) {
    taskId(r.getTaskId(), "task_rejected.task_id");
    TaskRejection.Reason reason;
    try {
      reason = TaskRejection.Reason.valueOf(r.getReason().name().replace("REJECT_REASON_", ""));
    } catch (IllegalArgumentException unrecognized) {
      reason = TaskRejection.Reason.UNSPECIFIED;
    }
    return new TaskRejection(r.getTaskId(), reason, r.getDetail());
  }

  static TaskStartReport started(io.cortexhub.proto.node.v1.TaskStarted s) {
    taskId(s.getTaskId(), "task_started.task_id");
    return new TaskStartReport(s.getTaskId(), s.getStartedAtUnixMs(), s.getPid());
  }

  static OutputChunkEvent output(OutputChunk o) {
    taskId(o.getTaskId(), "output.task_id");
    seq(o.getSeq(), "output.seq");
    OutputStreamKind stream = switch (o.getStream()) {
      case OUTPUT_STREAM_STDOUT -> OutputStreamKind.STDOUT;
      case OUTPUT_STREAM_STDERR -> OutputStreamKind.STDERR;
      default -> throw FrameRejectedException.invalid("output.stream must be STDOUT or STDERR");
    };
    return OutputChunkEvent.text(o.getTaskId(), o.getSeq(), stream, o.getData().toByteArray(),
        o.getProducedAtUnixMs());
  }

  static OutputChunkEvent binary(BinaryChunk b) {
    taskId(b.getTaskId(), "binary.task_id");
    seq(b.getSeq(), "binary.seq");
    if (b.getFrameId().isEmpty() || b.getFrameId().length() > 128) {
      throw FrameRejectedException.invalid("binary.frame_id must be 1..128 characters");
    }
    return new OutputChunkEvent(b.getTaskId(), b.getSeq(), OutputStreamKind.BINARY,
        b.getData().toByteArray(), 0, b.getFrameId(), b.getIndex(), b.getLast(), b.getCodec());
  }

  static TaskFinishReport finished(TaskFinished f) {
    taskId(f.getTaskId(), "task_finished.task_id");
    TaskFinishReport.Outcome outcome = switch (f.getOutcome()) {
      case TASK_OUTCOME_SUCCEEDED -> TaskFinishReport.Outcome.SUCCEEDED;
      case TASK_OUTCOME_FAILED -> TaskFinishReport.Outcome.FAILED;
      case TASK_OUTCOME_CANCELLED -> TaskFinishReport.Outcome.CANCELLED;
      case TASK_OUTCOME_TIMED_OUT -> TaskFinishReport.Outcome.TIMED_OUT;
      case TASK_OUTCOME_QUOTA_EXCEEDED -> TaskFinishReport.Outcome.QUOTA_EXCEEDED;
      default -> throw FrameRejectedException.invalid("task_finished.outcome is required");
    };
    return new TaskFinishReport(f.getTaskId(), outcome,
        f.getHasExitCode() ? Optional.of(f.getExitCode()) : Optional.empty(), f.getFinalSeq(),
        f.getStartedAtUnixMs(), f.getFinishedAtUnixMs(), f.getDetail());
  }

  static ConsentRequestReport awaitingConsent(TaskAwaitingConsent c) {
    taskId(c.getTaskId(), "awaiting_consent.task_id");
    if (c.getDeadlineUnixMs() <= 0) {
      throw FrameRejectedException.invalid("awaiting_consent.deadline_unix_ms is required");
    }
    return new ConsentRequestReport(c.getTaskId(), clip(c.getPrompt(), 4000),
        c.getDeadlineUnixMs());
  }

  static AuditCheckpointReport checkpoint(AuditCheckpoint c) {
    if (c.getTreeSize() < 1) {
      throw FrameRejectedException.invalid("audit_checkpoint.tree_size must be at least 1");
    }
    if (c.getRootHash().size() != SHA256_BYTES || c.getLastRecordHash().size() != SHA256_BYTES) {
      throw FrameRejectedException.invalid(
          "audit_checkpoint.root_hash and last_record_hash must be SHA-256 digests (32 bytes)");
    }
    if (c.getSignature().isEmpty() || c.getSignatureAlgorithm().isEmpty()) {
      throw FrameRejectedException.invalid(
          "audit_checkpoint.signature and signature_algorithm are required");
    }
    return new AuditCheckpointReport(c.getTreeSize(), c.getRootHash().toByteArray(),
        c.getLastRecordHash().toByteArray(), c.getCreatedAtUnixMs(),
        c.getSignature().toByteArray(), c.getSignatureAlgorithm());
  }

  static AuditRecordsReport auditRecords(AuditRecords r) {
    if (r.getQueryId().isEmpty()) {
      throw FrameRejectedException.invalid("audit_records.query_id is required");
    }
    return new AuditRecordsReport(r.getQueryId(), r.getRecordsList(), r.getLast(),
        clip(r.getError(), 4000));
  }

  static String taskId(String id, String field) {
    if (id.isEmpty() || id.length() > 64) {
      throw FrameRejectedException.invalid(field + " must be 1..64 characters");
    }
    return id;
  }

  private static void seq(long seq, String field) {
    if (seq < 1) {
      throw FrameRejectedException.invalid(field + " must be at least 1, got " + seq);
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
