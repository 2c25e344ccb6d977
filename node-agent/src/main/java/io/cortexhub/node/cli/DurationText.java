package io.cortexhub.node.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line: a whole number with a unit — {@code ms}, {@code s}, {@code m} or
 * {@code h} ({@code 90s}, {@code 5m}, {@code 1h}) — or ISO-8601 ({@code PT5M}). Must be positive.
 * Thread-safe (stateless).
 */
final class DurationText implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code text} */
  static Duration parse(String text) {
    String s = text == null ? "" : text.strip();
    Duration d;
    Matcher m = SIMPLE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else {
      try {
        d = Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "expected a duration such as 90s, 5m, 1h or PT5M, got '" + text + "'");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got '" + text + "'");
    }
    return d;
  }
}
