package io.cortexhub.node.consent;

import java.util.Arrays;
import java.util.Optional;

/**
 * How much the node's owner wants to be asked, set in the local policy only.
 *
 * <p>Mirrors {@code node.policy.ConsentMode} (same constants and wire names); the two are unified
 * when the policy and consent packages meet.
 */
public enum ConsentMode {
  /** Every command and every file change needs a yes. */
  STRICT("strict"),
  /** Read-only commands and file reads run; anything that may change state asks. */
  AUTO_APPROVE_SAFE("auto-approve-safe"),
  /** The policy alone decides; nobody is asked. */
  AUTO("auto");

  private final String wireName;

  ConsentMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the policy file and the manifest. */
  public String wireName() {
    return wireName;
  }

  public static Optional<ConsentMode> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
