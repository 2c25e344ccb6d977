package io.cortexhub.node.policy;

/**
 * The policy file cannot be used: unreadable, unsafe to trust (writable by others), malformed, or a
 * value out of range. The message names the file, the line and the key.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
