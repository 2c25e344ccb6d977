package io.cortexhub.node.verify;

/** The replay cache could not read or write its file. */
public final class ReplayCacheException extends RuntimeException {
  public ReplayCacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
