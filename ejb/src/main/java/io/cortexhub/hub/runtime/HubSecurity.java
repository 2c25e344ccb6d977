package io.cortexhub.hub.runtime;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.pki.HubPki;
import io.cortexhub.hub.session.NodeSessionTokens;
import io.cortexhub.hub.signing.Ed25519TaskSigner;
import io.cortexhub.hub.signing.TaskSigner;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The hub's key material, loaded once at boot: the PKI (CA, server certificate, rotation), the
 * task signer and the node session token keys. Immutable holder; each part is thread-safe.
 */
public record HubSecurity(HubPki pki, TaskSigner signer, NodeSessionTokens sessions) {
  public HubSecurity {
    Objects.requireNonNull(pki, "pki");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(sessions, "sessions");
  }

  /** Loads (or creates on first boot) everything under the data dir and operator files. */
  public static HubSecurity loadOrCreate(HubSettings settings, Clock clock, SecureRandom random) {
    HubPki pki = HubPki.loadOrCreate(settings, clock, random);
    return new HubSecurity(pki, Ed25519TaskSigner.loadOrCreate(pki, clock, random),
        new NodeSessionTokens(clock, random, settings.pki().sessionTokenLifetime()));
  }
}
