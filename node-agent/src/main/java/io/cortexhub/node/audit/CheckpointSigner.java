package io.cortexhub.node.audit;

/**
 * Signs audit checkpoints with the node's private key, so a hub or an auditor holding the node's
 * certificate can tell a checkpoint the node made from one made up later.
 *
 * <p>The message is {@link Checkpoint#signedMessage}. {@link KeyCheckpointSigner} adapts a JDK
 * {@link java.security.PrivateKey}; the agent passes the key of its client certificate (EC P-256,
 * {@code SHA256withECDSA}). Implementations must be thread-safe; the log calls {@link #sign} under
 * its own lock, once per checkpoint.
 */
public interface CheckpointSigner {
  /** JCA name of the signature algorithm, e.g. {@code SHA256withECDSA}; stored with the checkpoint. */
  String algorithm();

  /** Signs {@code message}; failure is an unchecked exception (the log then skips the checkpoint). */
  byte[] sign(byte[] message);
}
