package io.cortexhub.node.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * How much the node's owner must approve before a task runs: every command and file change ({@link
 * #STRICT}), only what changes state ({@link #AUTO_APPROVE_SAFE}), or nothing beyond the policy
 * ({@link #AUTO}). Set in the local policy only; the hub can read it (manifest) but never change it.
 */
public enum ConsentMode {
  STRICT("strict"),
  AUTO_APPROVE_SAFE("auto-approve-safe"),
  AUTO("auto");

  private final String wireName;

  ConsentMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the policy file and the manifest. */
  public String wireName() {
    return wireName;
  }

  /** The mode with this wire name, if any (exact, case-sensitive). */
  public static Optional<ConsentMode> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
