package io.cortexhub.hub.signing;

import java.util.Objects;

/**
 * A public key whose task signatures nodes accept (it travels in their credential bundle).
 *
 * @param keyId matches {@code TaskAssignment.key_id}
 * @param algorithm {@code "Ed25519"}
 * @param publicKey X.509 SubjectPublicKeyInfo, DER
 */
public record TaskSigningKey(String keyId, String algorithm, byte[] publicKey) {
  public TaskSigningKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }
}
