package io.cortexhub.web.api.audit;

import io.cortexhub.hub.audit.StoredCheckpoint;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One stored checkpoint, in the shape {@code cortex-node audit verify --checkpoints} reads: hashes in
 * lower-case hex, the signature in base64.
 */
public record CheckpointJson(
    String nodeId,
    long treeSize,
    String rootHash,
    String lastRecordHash,
    long createdAtUnixMs,
    String signature,
    String algorithm,
    long receivedAtUnixMs) {

  static CheckpointJson of(StoredCheckpoint c) {
    HexFormat hex = HexFormat.of();
    return new CheckpointJson(c.node().value(), c.treeSize(), hex.formatHex(c.rootHash()),
        hex.formatHex(c.lastRecordHash()), c.createdAt().toEpochMilli(),
        Base64.getEncoder().encodeToString(c.signature()), c.algorithm(),
        c.receivedAt().toEpochMilli());
  }
}
