package io.cortexhub.hub.signing;

import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies a task signature as a node does (the hub uses it in tests and benchmarks; the node has
 * its own verifier). Stateless.
 */
public final class TaskSignatures {
  private TaskSignatures() {}

  /** Whether {@code signature} over {@code spec} verifies under the key named {@code keyId}. */
  public static boolean verify(List<TaskSigningKey> keys, String keyId, byte[] spec,
      byte[] signature) {
    if (signature == null || signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
      return false;
    }
    for (TaskSigningKey k : keys) {
      if (k.keyId().equals(keyId)) {
        return publicKey(k).verify(Ed25519.Algorithm.Ed25519, null, spec, 0,
            spec.length, signature, 0);
      }
    }
    return false;
  }

  /** The BouncyCastle key of a {@link TaskSigningKey}. */
  public static Ed25519PublicKeyParameters publicKey(TaskSigningKey k) {
    try {
      return (Ed25519PublicKeyParameters) PublicKeyFactory.createKey(
          SubjectPublicKeyInfo.getInstance(k.publicKey()));
    } catch (java.io.IOException | ClassCastException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + k.keyId(), e);
    }
  }
}
