package io.cortexhub.node.identity;

/** The state directory cannot be created, read, written or locked; the message names the path. */
public final class StateDirectoryException extends RuntimeException {
  public StateDirectoryException(String message) {
    super(message);
  }

  public StateDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
