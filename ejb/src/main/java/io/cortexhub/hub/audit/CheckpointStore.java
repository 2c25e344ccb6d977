package io.cortexhub.hub.audit;

import io.cortexhub.hub.registry.NodeId;
import java.util.List;

/** Durable, append-only storage of nodes' audit checkpoints. Implementations are thread-safe. */
public interface CheckpointStore {

  /**
   * Stores a checkpoint. Storing the same (node, tree size) again is a no-op when the content is
   * identical and a {@link CheckpointConflictException} when it differs: a node whose log was
   * rewritten must not be able to replace the evidence of what it said before.
   */
  void save(StoredCheckpoint checkpoint);

  /** Every checkpoint of the node, by tree size ascending. */
  List<StoredCheckpoint> list(NodeId node);
}
