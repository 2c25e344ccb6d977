package io.cortexhub.node.verify;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies the hub's Ed25519 signature over exactly the bytes of {@code TaskAssignment.task}, with
 * the key the assignment names — and only if that key is one of the pinned ones.
 *
 * <p>Why BouncyCastle: its Ed25519 verifies about 7x faster than JDK 17's (see shared/README), and a
 * node in a simulated fleet verifies for thousands of nodes. The bytes are never re-serialized,
 * which would change them.
 *
 * <p>Thread-safe: the pinned keys are swapped atomically by {@link #replaceKeys} (a renewal bundle
 * may carry a rotated key set) while verifications run on other threads.
 */
public final class TaskVerifier {
  /** Ed25519 signatures are always this long. */
  static final int SIGNATURE_LENGTH = 64;

  private volatile Map<String, TrustedSigningKey> keys;

  /**
   * @param keys the pinned keys; must not be empty (a node that trusts no key could run nothing)
   */
  public TaskVerifier(Collection<TrustedSigningKey> keys) {
    this.keys = index(keys);
  }

  /** Replaces the pinned keys, e.g. with those of a bundle received over {@code Renew}. */
  public void replaceKeys(Collection<TrustedSigningKey> newKeys) {
    this.keys = index(newKeys);
  }

  /** Ids of the keys accepted now. */
  public Set<String> keyIds() {
    return keys.keySet();
  }

  /**
   * Returns normally if {@code signature} is a valid Ed25519 signature over {@code task} by the
   * pinned key {@code keyId}.
   *
   * @throws BadTaskSignatureException naming what is wrong: no signature, an unknown key id, or a
   *     signature that does not verify
   */
  public void verify(ByteString task, ByteString signature, String keyId) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(signature, "signature");
    if (signature.isEmpty()) {
      throw new BadTaskSignatureException("task carries no signature (the hub signs every task)");
    }
    Map<String, TrustedSigningKey> pinned = keys;
    TrustedSigningKey key = keyId == null ? null : pinned.get(keyId);
    if (key == null) {
      throw new BadTaskSignatureException(
          "unknown task-signing key id '" + keyId + "' (pinned: " + String.join(", ", pinned.keySet()) + ")");
    }
    if (signature.size() != SIGNATURE_LENGTH) {
      throw new BadTaskSignatureException(
          "signature has " + signature.size() + " bytes, an Ed25519 signature has " + SIGNATURE_LENGTH);
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key.key());
    byte[] bytes = task.toByteArray();
    verifier.update(bytes, 0, bytes.length);
    if (!verifier.verifySignature(signature.toByteArray())) {
      throw new BadTaskSignatureException("signature does not verify with key " + keyId);
    }
  }

  private static Map<String, TrustedSigningKey> index(Collection<TrustedSigningKey> keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one task-signing key must be pinned");
    }
    Map<String, TrustedSigningKey> byId = new LinkedHashMap<>();
    for (TrustedSigningKey k : keys) {
      if (byId.put(k.keyId(), k) != null) {
        throw new IllegalArgumentException("task-signing key id " + k.keyId() + " appears twice");
      }
    }
    return java.util.Collections.unmodifiableMap(byId);
  }
}
