package io.cortexhub.hub.connector.inbound;

/** Thrown by a listener to refuse a node at Hello; the message is sent to the node. */
public class NodeRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NodeRefusedException(String message) {
    super(message);
  }
}
