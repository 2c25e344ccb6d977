package io.cortexhub.hub.journal;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import java.util.List;

/** Told, on the writer thread, which output chunks a batch has just made durable. */
@FunctionalInterface
public interface CommitListener {
  void outputCommitted(List<OutputChunkEvent> chunks);
}
