package io.cortexhub.hub.connector.inbound;

import java.util.Objects;

/**
 * A signed tree head of the node's audit log (see tunnel.proto, AuditCheckpoint). The arrays are
 * not copied; callers must not modify them.
 */
public record AuditCheckpointReport(long treeSize, byte[] rootHash, byte[] lastRecordHash,
    long createdAtUnixMs, byte[] signature, String algorithm) {
  public AuditCheckpointReport {
    Objects.requireNonNull(rootHash, "rootHash");
    Objects.requireNonNull(lastRecordHash, "lastRecordHash");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(algorithm, "algorithm");
  }
}
