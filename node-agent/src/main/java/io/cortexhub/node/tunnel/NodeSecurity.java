package io.cortexhub.node.tunnel;

import io.cortexhub.node.verify.ReplayCache;
import io.cortexhub.node.verify.TaskVerifier;
import io.cortexhub.proto.node.v1.SessionToken;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node needs to check tasks and to hand session tokens on: the verifier with the pinned hub
 * keys, the replay cache, who wants the hub's session tokens (the credential renewer, for its
 * bearer token and {@code renew_credentials_now}), and the node id its certificate carries.
 *
 * @param verifier checks the hub's signature on every assignment
 * @param replayCache remembers nonces ({@code FileReplayCache} for a real node)
 * @param sessionTokens told about every {@code SessionToken} frame, on the node's serial executor
 * @param certifiedNodeId the node id in the node's certificate: tasks must name it, whatever a
 *     {@code Welcome} says; empty where there is no certificate (in-process tests), and then the
 *     Welcome's node id is used
 */
public record NodeSecurity(
    TaskVerifier verifier, ReplayCache replayCache, SessionTokenListener sessionTokens, Optional<String> certifiedNodeId) {
  public NodeSecurity {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(replayCache, "replayCache");
    Objects.requireNonNull(sessionTokens, "sessionTokens");
    Objects.requireNonNull(certifiedNodeId, "certifiedNodeId");
  }

  /** Without a certified node id: the Welcome's node id is checked against. */
  public NodeSecurity(TaskVerifier verifier, ReplayCache replayCache, SessionTokenListener sessionTokens) {
    this(verifier, replayCache, sessionTokens, Optional.empty());
  }

  /** Receives the hub's session tokens. Implementations must return quickly (hand work off). */
  @FunctionalInterface
  public interface SessionTokenListener {
    /** Ignores tokens (simulated nodes that never renew). */
    SessionTokenListener NONE = token -> {};

    void onSessionToken(SessionToken token);
  }
}
