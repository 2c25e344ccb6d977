package io.cortexhub.node.tunnel;

import io.cortexhub.node.audit.CheckpointSigner;
import io.cortexhub.node.audit.KeyCheckpointSigner;
import java.security.PrivateKey;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Signs audit checkpoints with whatever private key the node's certificate has <em>now</em>: a
 * renewal brings a new key pair, and every checkpoint after it must verify with the new
 * certificate the hub knows.
 *
 * <p>Thread-safe if the supplier is (the credential renewer's {@code current()} is).
 */
public final class CurrentKeySigner implements CheckpointSigner {
  private final Supplier<PrivateKey> key;

  /** @param key the node certificate's current private key (EC P-256: {@code SHA256withECDSA}) */
  public CurrentKeySigner(Supplier<PrivateKey> key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  @Override
  public String algorithm() {
    return new KeyCheckpointSigner(key.get()).algorithm();
  }

  @Override
  public byte[] sign(byte[] message) {
    return new KeyCheckpointSigner(key.get()).sign(message);
  }
}
