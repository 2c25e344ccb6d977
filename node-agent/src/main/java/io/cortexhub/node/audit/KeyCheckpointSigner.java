package io.cortexhub.node.audit;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Signs checkpoints with a JDK private key: EC keys with {@code SHA256withECDSA}, RSA keys with
 * {@code SHA256withRSA}, Ed25519 keys with {@code Ed25519}. The agent passes the private key of its
 * node certificate (EC P-256).
 *
 * <p>Thread-safe: a new {@link Signature} per call (a checkpoint every N records makes that cheap).
 */
public final class KeyCheckpointSigner implements CheckpointSigner {
  private final PrivateKey key;
  private final String algorithm;

  public KeyCheckpointSigner(PrivateKey key) {
    this.key = Objects.requireNonNull(key, "key");
    this.algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> throw new IllegalArgumentException("cannot sign checkpoints with a " + key.getAlgorithm() + " key");
        };
  }

  @Override
  public String algorithm() {
    return algorithm;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint with " + algorithm + ": " + e.getMessage(), e);
    }
  }
}
