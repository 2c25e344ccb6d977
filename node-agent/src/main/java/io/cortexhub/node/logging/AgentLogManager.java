package io.cortexhub.node.logging;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that ignores the JVM's shutdown-time {@code reset()}.
 *
 * <p>JUL resets (and so silences) every logger from its own shutdown hook, which races with the
 * agent's hook: the lines saying how running tasks were stopped would be lost. Installed by the
 * CLI through {@code -Djava.util.logging.manager} before anything touches JUL; {@link LogSetup}
 * resets explicitly through {@link #resetForSetup()}. Thread-safe as LogManager is.
 */
public final class AgentLogManager extends LogManager {
  @Override
  public void reset() {
    // Deliberately empty: only the shutdown hook calls this once set-up is done.
  }

  void resetForSetup() {
    super.reset();
  }
}
