package io.cortexhub.hub.audit;

import io.cortexhub.hub.registry.NodeId;
import java.time.Instant;
import java.util.Objects;

/**
 * One signed tree head of a node's audit log, as the node sent it.
 *
 * @param node the node whose log it covers
 * @param treeSize number of records covered
 * @param rootHash RFC 6962 Merkle root over the records' leaf hashes
 * @param lastRecordHash chain hash of the last covered record
 * @param createdAt the node's clock when it made the checkpoint
 * @param signature the node's signature over the checkpoint
 * @param algorithm signature algorithm (JCA name)
 * @param receivedAt the hub's clock when it stored it
 */
public record StoredCheckpoint(
    NodeId node,
    long treeSize,
    byte[] rootHash,
    byte[] lastRecordHash,
    Instant createdAt,
    byte[] signature,
    String algorithm,
    Instant receivedAt) {
  public StoredCheckpoint {
    Objects.requireNonNull(node, "node");
    if (treeSize < 1) {
      throw new IllegalArgumentException("treeSize must be at least 1, got " + treeSize);
    }
    Objects.requireNonNull(rootHash, "rootHash");
    Objects.requireNonNull(lastRecordHash, "lastRecordHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
