package io.cortexhub.node.consent;

import io.cortexhub.node.policy.ConsentMode;
import java.util.List;
import java.util.Objects;

/**
 * Whether a command or a file operation needs the owner's yes, per {@link ConsentMode}:
 *
 * <table>
 *   <caption>consent needed</caption>
 *   <tr><th>mode</th><th>command (argv)</th><th>fs read, list, stat</th><th>fs write, append,
 *       patch, mkdir, move, delete</th></tr>
 *   <tr><td>strict</td><td>always</td><td>no</td><td>always</td></tr>
 *   <tr><td>auto-approve-safe</td><td>unless {@link SafeCommandClassifier safe}</td><td>no</td>
 *       <td>always</td></tr>
 *   <tr><td>auto</td><td>never</td><td>never</td><td>never</td></tr>
 * </table>
 *
 * <p>"Strict" follows the wording — every command and every file <em>change</em> asks;
 * reads of the workspace run. The local policy decides what may run at all before this is asked.
 * Immutable and thread-safe.
 */
public final class ConsentPolicy {
  private final SafeCommandClassifier classifier;

  public ConsentPolicy(SafeCommandClassifier classifier) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
  }

  public boolean needsConsent(ConsentMode mode, List<String> argv) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(argv, "argv");
    return switch (mode) {
      case STRICT -> true;
      case AUTO_APPROVE_SAFE -> !classifier.isSafe(argv);
      case AUTO -> false;
    };
  }

  public boolean needsConsent(ConsentMode mode, FsOperation op) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(op, "op");
    return switch (mode) {
      case STRICT, AUTO_APPROVE_SAFE -> op.changesState();
      case AUTO -> false;
    };
  }

  public SafeCommandClassifier classifier() {
    return classifier;
  }
}
