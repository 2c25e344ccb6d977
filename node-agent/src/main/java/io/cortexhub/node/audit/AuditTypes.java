package io.cortexhub.node.audit;

/**
 * The record types the node writes, as stored in each record's {@code type}. A type is 1..64
 * characters of {@code [a-z0-9.-]} starting with a letter; the agent uses exactly these.
 *
 * <p>{@code docs/node-audit-consent.md} lists the fields each type carries and where the agent
 * appends it.
 */
public final class AuditTypes {
  /** A task assignment arrived (before verification). */
  public static final String TASK_RECEIVED = "task.received";
  /** The task's signature and claims verified. */
  public static final String TASK_VERIFIED = "task.verified";
  /** The task was rejected (bad signature, capacity, unknown capability, consent denied...). */
  public static final String TASK_REJECTED = "task.rejected";
  /** The owner was asked to approve a command or file change. */
  public static final String CONSENT_REQUESTED = "consent.requested";
  /** The owner's answer, or the timeout. */
  public static final String CONSENT_DECIDED = "consent.decided";
  /** The task's process started. */
  public static final String PROCESS_STARTED = "process.started";
  /** The task's process ended. */
  public static final String PROCESS_EXITED = "process.exited";
  /** A file in a workspace root was written, patched, moved or deleted. */
  public static final String FILE_CHANGED = "file.changed";
  /** The local policy refused a command or a file operation. */
  public static final String POLICY_REFUSED = "policy.refused";
  /** A task was killed for exceeding a resource quota. */
  public static final String QUOTA_KILLED = "quota.killed";
  /** Something from the hub tried to change the local policy or consent mode, and was refused. */
  public static final String POLICY_CHANGE_REFUSED = "policy.change-refused";

  /** Written by the log itself: a signed tree head over every record before it. Reserved. */
  public static final String CHECKPOINT = "audit.checkpoint";
  /** Written by the log itself on open: an incomplete last line (torn write) was set aside. Reserved. */
  public static final String TAIL_REPAIRED = "audit.tail-repaired";

  private AuditTypes() {}

  /** Whether {@code type} is well-formed (not whether the agent uses it). */
  static boolean isWellFormed(String type) {
    if (type.isEmpty() || type.length() > 64 || type.charAt(0) < 'a' || type.charAt(0) > 'z') {
      return false;
    }
    return type.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-');
  }

  static boolean isReserved(String type) {
    return type.startsWith("audit.");
  }
}
