package io.cortexhub.hub.registry;

import jakarta.ejb.ApplicationException;

/** A request named a node the hub has never seen. */
@ApplicationException(rollback = true)
public class UnknownNodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownNodeException(NodeId id) {
    super("unknown node: " + id);
  }
}
