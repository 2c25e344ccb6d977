package io.cortexhub.node.audit;

import io.cortexhub.node.audit.VerificationReport.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an audit log offline: that no record was edited, deleted, reordered or inserted (the seq
 * sequence and the hash chain), that every in-log checkpoint matches the records before it and —
 * given the node's public key — is signed by the node, and — given the checkpoints the hub stored —
 * that the log still holds every record the hub saw, unchanged (a truncated tail, or a prefix whose
 * Merkle root differs).
 *
 * <p>What it cannot see, by design: records after the last checkpoint (in the log or at the hub)
 * can be removed, or the log rewritten with recomputed hashes, without a trace unless the public
 * key (for in-log checkpoints) or the hub's checkpoints are given. That is why checkpoints are
 * frequent and sent off the node.
 *
 * <p>Reads the file without locking it, so it can run beside a live agent (it then sees the log as
 * of some moment, possibly with an unfinished last line). Immutable and thread-safe.
 */
public final class AuditVerifier {
  private final PublicKey key;
  private final List<Checkpoint> hubCheckpoints;

  /**
   * @param key the node's public key; empty to skip signature checks
   * @param hubCheckpoints the checkpoints the hub stored for this node; may be empty
   */
  public AuditVerifier(Optional<PublicKey> key, List<Checkpoint> hubCheckpoints) {
    this.key = Objects.requireNonNull(key, "key").orElse(null);
    this.hubCheckpoints = List.copyOf(hubCheckpoints);
  }

  /**
   * Verifies the log at {@code log}.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public VerificationReport verify(Path log) {
    List<Problem> problems = new ArrayList<>();
    Map<Long, List<Checkpoint>> bySize = new HashMap<>();
    for (int i = 0; i < hubCheckpoints.size(); i++) {
      Checkpoint c = hubCheckpoints.get(i);
      String bad = signatureProblem(c);
      if (bad != null) {
        problems.add(new Problem(0, 0, "hub checkpoint #" + (i + 1) + " (tree size " + c.treeSize() + "): " + bad
            + "; not used"));
      } else {
        bySize.computeIfAbsent(c.treeSize(), k -> new ArrayList<>()).add(c);
      }
    }
    ChainWalker walker = new ChainWalker(key, bySize, problems::add);
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
      LogLines.scan(ch, ch.size(), walker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit log " + log + ": " + e.getMessage(), e);
    }
    walker.finish();
    if (walker.incompleteOffset() >= 0) {
      problems.add(new Problem(walker.lines() + 1, 0, "unfinished last line (" + walker.incompleteLength()
          + " bytes, no newline): a torn write, or a cut record; the agent sets it aside on its next start"));
    }
    return new VerificationReport(walker.records(), walker.checkpoints(), walker.hubChecked(), key != null, problems);
  }

  private String signatureProblem(Checkpoint c) {
    if (key == null) {
      return null;
    }
    try {
      return c.verify(key) ? null : "signature does not verify with the given public key";
    } catch (IllegalArgumentException e) {
      return "signature cannot be checked: " + e.getMessage();
    }
  }
}
