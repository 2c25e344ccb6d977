package io.cortexhub.node.tunnel;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cortexhub.node.consent.ConsentDecision;
import io.cortexhub.node.consent.PendingConsent;
import io.cortexhub.node.policy.ResourceLimits;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of each audit record the task flow writes (the table in {@code
 * docs/node-audit-consent.md}). Strings from the hub are bounded so that a record is never too
 * large for the log. Stateless.
 */
final class TaskAudit {
  private static final int MAX_TEXT = 4096;
  /** What the task id may look like before the task is verified (admission checks it again). */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private TaskAudit() {}

  /**
   * The task id the unverified bytes claim, for filing {@code task.received} under its task; empty
   * when the bytes do not parse or the id is not a plain one.
   */
  static String claimedTaskId(TaskAssignment a) {
    try {
      String id = TaskSpec.parseFrom(a.getTask()).getTaskId();
      return PLAIN_ID.matcher(id).matches() ? id : "";
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  /** {@code task.received}: what arrived, before anything is believed. */
  static Map<String, Object> received(TaskAssignment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytes", (long) a.getTask().size());
    m.put("sha256", sha256(a.getTask().toByteArray()));
    m.put("keyId", cut(a.getKeyId()));
    m.put("signed", !a.getSignature().isEmpty());
    try {
      m.put("claimedCapability", cut(TaskSpec.parseFrom(a.getTask()).getCapability()));
    } catch (InvalidProtocolBufferException e) {
      m.put("claimedCapability", "");
    }
    return m;
  }

  /** {@code task.verified}: the hub's signature holds, and who asked for what. */
  static Map<String, Object> verified(TaskAssignment a, TaskSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keyId", cut(a.getKeyId()));
    m.put("capability", cut(spec.getCapability()));
    m.put("requestedBy", cut(spec.getRequestedBy()));
    m.put("workspace", cut(spec.getWorkspace()));
    m.put("notAfterUnixMs", spec.getNotAfterUnixMs());
    return m;
  }

  static Map<String, Object> rejected(RejectReason reason, String detail) {
    return Map.of("reason", reasonName(reason), "detail", cut(detail));
  }

  static Map<String, Object> consentRequested(PendingConsent p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("argv", AuditFields.argv(p.request().argv()));
    m.put("cwd", p.request().cwd());
    m.put("requestedBy", cut(p.request().requestedBy()));
    m.put("summary", cut(p.request().summary()));
    m.put("deadlineUnixMs", p.deadline().toEpochMilli());
    return m;
  }

  static Map<String, Object> consentDecided(ConsentDecision d) {
    return Map.of("id", d.requestId(), "verdict", d.verdict().name(), "decidedBy", d.decidedBy());
  }

  /** What {@code process.started} says besides the pid: what runs, where, how isolated. */
  static Map<String, Object> startFacts(TaskSpec spec, TaskPreflight.Verdict.Cleared cleared, TaskControls controls) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capability", cut(spec.getCapability()));
    switch (spec.getPayloadCase()) {
      case SHELL -> {
        List<String> argv = cleared.what().isEmpty() ? spec.getShell().getArgvList() : cleared.what();
        m.put("argv", AuditFields.argv(argv));
        m.put("cwd", cleared.cwd().isEmpty() ? cut(spec.getShell().getWorkingDir()) : cleared.cwd());
        m.put("isolation", controls.isolation());
      }
      case FS -> {
        if (!cleared.what().isEmpty()) {
          m.put("operation", AuditFields.argv(cleared.what()));
        }
      }
      default -> {
        // echo: in-agent work, nothing more to say
      }
    }
    return m;
  }

  static Map<String, Object> started(Map<String, Object> facts, long pid) {
    Map<String, Object> m = new LinkedHashMap<>(facts);
    m.put("pid", pid);
    return m;
  }

  /**
   * {@code process.exited}; {@code started} is false when the task ended without starting (could
   * not start, or cancelled while awaiting consent).
   */
  static Map<String, Object> exited(TaskSpec spec, boolean started, TaskResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capability", cut(spec.getCapability()));
    m.put("outcome", outcomeName(r.outcome()));
    r.exitCode().ifPresent(c -> m.put("exitCode", (long) c));
    m.put("detail", cut(r.detail()));
    m.put("durationMs", Math.max(0, r.finishedAtUnixMs() - r.startedAtUnixMs()));
    m.put("started", started);
    return m;
  }

  /** {@code quota.killed}: which limit ended the task, as far as the runner's detail tells. */
  static Map<String, Object> quotaKilled(TaskResult r, TaskControls controls) {
    ResourceLimits limits = controls.policy().map(p -> p.defaultLimits()).orElse(ResourceLimits.unlimited());
    Map<String, Object> m = new LinkedHashMap<>();
    String detail = r.detail();
    if (detail.startsWith("memory")) {
      m.put("resource", "memory");
      m.put("limit", limits.memoryBytes());
    } else if (detail.contains("process limit")) {
      m.put("resource", "processes");
      m.put("limit", (long) limits.maxProcesses());
    } else {
      m.put("resource", "unknown");
    }
    m.put("detail", cut(detail));
    return m;
  }

  static String reasonName(RejectReason reason) {
    return reason.name().replace("REJECT_REASON_", "");
  }

  static String outcomeName(TaskOutcome outcome) {
    return outcome.name().replace("TASK_OUTCOME_", "");
  }

  private static String cut(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...(" + s.length() + " chars)";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
