package io.cortexhub.node.consent;

/**
 * Hears what the {@link ConsentBroker} does, to audit it and tell the hub: on {@link #requested}
 * the agent appends {@code consent.requested} and sends {@code TaskAwaitingConsent}; on {@link
 * #decided} it appends {@code consent.decided}.
 *
 * <p>Called synchronously by the broker on the requesting or answering thread; must be quick and
 * must not throw.
 */
public interface ConsentListener {
  /** A listener that does nothing. */
  ConsentListener NONE = new ConsentListener() {};

  default void requested(PendingConsent p) {}

  default void decided(PendingConsent p, ConsentDecision d) {}

  /** The request was dropped without a decision (its task was cancelled, or the agent stops). */
  default void withdrawn(PendingConsent p) {}
}
