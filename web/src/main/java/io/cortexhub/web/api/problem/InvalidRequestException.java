package io.cortexhub.web.api.problem;

/**
 * A request the REST layer itself rejects before reaching the hub: an unknown task kind, a
 * contradictory pair of fields, an unparsable header. The message names the field and the problem;
 * it becomes the detail of a 400 invalid-request problem.
 */
public class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
