package io.cortexhub.node.audit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The existing audit log failed verification on open, so the agent refuses to append to it: a
 * chain that continued after a break would make the break look like history. The file is left
 * exactly as found; {@link #problem()} names the first bad line.
 */
public final class BrokenAuditLogException extends AuditLogException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final transient VerificationReport.Problem problem;

  public BrokenAuditLogException(Path file, VerificationReport.Problem problem) {
    super(
        "audit log "
            + file
            + " is broken: "
            + problem
            + "; refusing to append to it. It was left untouched: inspect it with 'cortex-node audit verify --log "
            + file
            + "', then move it aside to start a new log.");
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public Path file() {
    return file;
  }

  public VerificationReport.Problem problem() {
    return problem;
  }
}
