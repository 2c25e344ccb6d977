package io.cortexhub.web.api.tasks;

import io.cortexhub.web.api.problem.InvalidRequestException;

/**
 * Parses numeric query parameters and headers by hand: a JAX-RS-converted {@code int} parameter
 * that fails to parse becomes a 404 by specification, which would mislead the client.
 */
final class Params {

  private Params() {}

  /**
   * @return {@code fallback} when absent, otherwise the value if it lies within [min, max]
   * @throws InvalidRequestException naming the parameter when not a number or out of range
   */
  static long inRange(String name, String raw, long fallback, long min, long max) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be a whole number; got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new InvalidRequestException(
          name + " must be between " + min + " and " + max + "; got " + value);
    }
    return value;
  }
}
