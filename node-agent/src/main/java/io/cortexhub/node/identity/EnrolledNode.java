package io.cortexhub.node.identity;

import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.tls.HubChannels;
import io.cortexhub.node.tls.MutualTls;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.node.tunnel.NodeSecurity;
import io.cortexhub.node.verify.ReplayCache;
import io.cortexhub.node.verify.TaskVerifier;
import io.grpc.ManagedChannel;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An enrolled node's link to its hub, wired once: the mutual-TLS context presenting its
 * certificate, the channel built on it, the verifier holding its pinned task-signing keys, and the
 * renewer that keeps all three current.
 *
 * <p>{@code cortex-node run} makes one, {@code simulate} one per simulated node. Start the renewer
 * after the agent. Immutable holder; its parts are thread-safe.
 */
public record EnrolledNode(MutualTls tls, ManagedChannel channel, TaskVerifier verifier, CredentialRenewer renewer) {
  public EnrolledNode {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(renewer, "renewer");
  }

  /**
   * Opens a mutual-TLS channel to {@code hub} with {@code credentials} and wires a renewer that
   * saves to {@code store}.
   *
   * @param callbacks runs gRPC callbacks (the agent's pool; {@code Runnable::run} for big fleets)
   */
  public static EnrolledNode connect(
      Credentials credentials,
      CredentialStore store,
      HubAddress hub,
      AgentRuntime runtime,
      Executor callbacks,
      SecureRandom keyRandom,
      AgentLog log) {
    MutualTls tls = new MutualTls(credentials.privateKey(), credentials.certificateChain(), credentials.trustedCas());
    ManagedChannel channel =
        HubChannels.open(hub.host(), hub.port(), tls, HubChannels.DEFAULT_MAX_FRAME_BYTES, callbacks);
    TaskVerifier verifier = new TaskVerifier(credentials.signingKeys());
    CredentialRenewer renewer =
        new CredentialRenewer(credentials, store, tls, verifier, channel, runtime, keyRandom, log);
    return new EnrolledNode(tls, channel, verifier, renewer);
  }

  /** The task checks for this node's agent, with the given replay cache. */
  public NodeSecurity security(ReplayCache replayCache) {
    return new NodeSecurity(verifier, replayCache, renewer, Optional.of(renewer.current().nodeId()));
  }

  /** Stops renewing and closes the channel (waiting up to two seconds for it). */
  public void close() {
    renewer.stop();
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
