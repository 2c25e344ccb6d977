package io.cortexhub.node.audit;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found in one log.
 *
 * @param records record lines read
 * @param logCheckpoints {@code audit.checkpoint} records checked
 * @param hubCheckpoints hub-stored checkpoints checked against the log
 * @param signaturesChecked whether a public key was given (without one, signatures are not checked
 *     and a rewritten log with recomputed hashes goes unnoticed unless hub checkpoints catch it)
 * @param problems every problem found, ordered by line; empty when the log is intact
 */
public record VerificationReport(
    long records, int logCheckpoints, int hubCheckpoints, boolean signaturesChecked, List<Problem> problems) {

  /**
   * One finding.
   *
   * @param line 1-based line of the log the problem is at (one past the last line for a
   *     truncated tail; 0 for a problem with the hub's checkpoints themselves)
   * @param seq the record's seq where known, else 0
   * @param message what is wrong and what it means
   */
  public record Problem(long line, long seq, String message) {
    public Problem {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return (line > 0 ? "line " + line + (seq > 0 ? " (seq " + seq + ")" : "") + ": " : "") + message;
    }
  }

  public VerificationReport {
    problems = problems.stream().sorted(Comparator.comparingLong(Problem::line)).toList();
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /** The first bad line: the headline of a failed verification. */
  public Optional<Problem> firstProblem() {
    return problems.stream().findFirst();
  }
}
