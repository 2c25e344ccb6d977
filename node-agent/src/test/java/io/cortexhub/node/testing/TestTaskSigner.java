package io.cortexhub.node.testing;

import com.google.protobuf.ByteString;
import io.cortexhub.node.tunnel.NodeSecurity;
import io.cortexhub.node.verify.InMemoryReplayCache;
import io.cortexhub.node.verify.TaskVerifier;
import io.cortexhub.node.verify.TrustedSigningKey;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskSigningKey;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The hub's task-signing key in tests: an Ed25519 key with a key id as the hub makes them
 * ({@code ed25519-} + 16 hex of the SPKI's SHA-256), signing serialized tasks exactly as they travel.
 */
public final class TestTaskSigner {
  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519PublicKeyParameters publicKey;
  private final byte[] spki;
  private final String keyId;

  private TestTaskSigner(Ed25519PrivateKeyParameters privateKey, String keyIdOverride) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey();
    try {
      this.spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey).getEncoded();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
      this.keyId = keyIdOverride != null ? keyIdOverride : "ed25519-" + hash.substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestTaskSigner create() {
    return new TestTaskSigner(newKey(), null);
  }

  /** Another key that claims this signer's key id (a forger who knows the id). */
  public TestTaskSigner impostor() {
    return new TestTaskSigner(newKey(), keyId);
  }

  private static Ed25519PrivateKeyParameters newKey() {
    Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
    g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
    return (Ed25519PrivateKeyParameters) g.generateKeyPair().getPrivate();
  }

  public String keyId() {
    return keyId;
  }

  /** As a credential bundle carries it. */
  public TaskSigningKey signingKey() {
    return TaskSigningKey.newBuilder()
        .setKeyId(keyId)
        .setAlgorithm("Ed25519")
        .setPublicKey(ByteString.copyFrom(spki))
        .build();
  }

  public TrustedSigningKey trustedKey() {
    return TrustedSigningKey.fromSpki(keyId, "Ed25519", spki);
  }

  public TaskVerifier verifier() {
    return new TaskVerifier(List.of(trustedKey()));
  }

  /** Checks for a node trusting this key, with an in-memory replay cache and no token listener. */
  public NodeSecurity nodeSecurity(Clock clock) {
    return new NodeSecurity(verifier(), new InMemoryReplayCache(clock), NodeSecurity.SessionTokenListener.NONE);
  }

  public ByteString sign(ByteString bytes) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, privateKey);
    byte[] b = bytes.toByteArray();
    s.update(b, 0, b.length);
    return ByteString.copyFrom(s.generateSignature());
  }

  public TaskAssignment assignment(ByteString taskBytes) {
    return TaskAssignment.newBuilder().setTask(taskBytes).setSignature(sign(taskBytes)).setKeyId(keyId).build();
  }

  public TaskAssignment assignment(TaskSpec spec) {
    return assignment(spec.toByteString());
  }
}
