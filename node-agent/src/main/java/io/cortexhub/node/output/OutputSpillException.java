package io.cortexhub.node.output;

/** The spill file of an output buffer could not be written or read back. */
public final class OutputSpillException extends RuntimeException {
  public OutputSpillException(String message, Throwable cause) {
    super(message, cause);
  }
}
