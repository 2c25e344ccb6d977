package io.cortexhub.node.tunnel;

import io.cortexhub.node.verify.ReplayCache;
import io.cortexhub.node.verify.TaskVerifier;
import io.cortexhub.proto.node.v1.SessionToken;
import java.util.Objects;

/**
 * What a node needs to check tasks and to hand session tokens on: the verifier with the pinned hub
 * keys, the replay cache, and who wants the hub's session tokens (the credential renewer, for its
 * bearer token and {@code renew_credentials_now}).
 *
 * @param verifier checks the hub's signature on every assignment
 * @param replayCache remembers nonces ({@code FileReplayCache} for a real node)
 * @param sessionTokens told about every {@code SessionToken} frame, on the node's serial executor
 */
public record NodeSecurity(TaskVerifier verifier, ReplayCache replayCache, SessionTokenListener sessionTokens) {
  public NodeSecurity {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(replayCache, "replayCache");
    Objects.requireNonNull(sessionTokens, "sessionTokens");
  }

  /** Receives the hub's session tokens. Implementations must return quickly (hand work off). */
  @FunctionalInterface
  public interface SessionTokenListener {
    /** Ignores tokens (simulated nodes that never renew). */
    SessionTokenListener NONE = token -> {};

    void onSessionToken(SessionToken token);
  }
}
