package io.cortexhub.web.api.nodes;

import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.web.api.problem.InvalidRequestException;

/** Turns node ids from requests into {@link NodeId}s, rejecting blank ones as a bad request. */
public final class NodeIds {

  private NodeIds() {}

  /**
   * @throws InvalidRequestException when the id is null or blank
   */
  public static NodeId parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidRequestException("node id must not be blank");
    }
    return new NodeId(raw.strip());
  }
}
