package io.cortexhub.node.verify;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * A hub public key whose task signatures this node accepts, as pinned from a credential bundle.
 *
 * <p>Only Ed25519 exists today; the algorithm is checked when the key is read so that a bundle
 * naming something else fails loudly at enrollment, not at the first task. Immutable.
 *
 * @param keyId the hub's opaque id, matched against {@code TaskAssignment.key_id}
 * @param key the public key
 * @param spkiSha256 hex SHA-256 of the SubjectPublicKeyInfo DER, for logs and {@code cortex-node}
 *     output
 */
public record TrustedSigningKey(String keyId, Ed25519PublicKeyParameters key, String spkiSha256) {
  /** The one algorithm name the wire carries today ({@code TaskSigningKey.algorithm}). */
  public static final String ED25519 = "Ed25519";

  public TrustedSigningKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(spkiSha256, "spkiSha256");
    if (keyId.isBlank()) {
      throw new IllegalArgumentException("a task-signing key needs a key id");
    }
  }

  /**
   * Reads a key as the hub sends it.
   *
   * @throws IllegalArgumentException if the algorithm is not Ed25519 or the DER is not an Ed25519
   *     SubjectPublicKeyInfo
   */
  public static TrustedSigningKey fromSpki(String keyId, String algorithm, byte[] spkiDer) {
    if (algorithm == null || !algorithm.toLowerCase(Locale.ROOT).equals("ed25519")) {
      throw new IllegalArgumentException(
          "task-signing key " + keyId + " has algorithm '" + algorithm + "'; only Ed25519 is supported");
    }
    AsymmetricKeyParameter parsed;
    try {
      parsed = PublicKeyFactory.createKey(spkiDer);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "task-signing key " + keyId + " is not a SubjectPublicKeyInfo: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Ed25519PublicKeyParameters ed)) {
      throw new IllegalArgumentException(
          "task-signing key " + keyId + " is labelled Ed25519 but holds " + parsed.getClass().getSimpleName());
    }
    return new TrustedSigningKey(keyId, ed, HexFormat.of().formatHex(sha256(spkiDer)));
  }

  private static byte[] sha256(byte[] der) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(der);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return keyId + " (Ed25519, spki sha256:" + spkiSha256.substring(0, 16) + "…)";
  }
}
