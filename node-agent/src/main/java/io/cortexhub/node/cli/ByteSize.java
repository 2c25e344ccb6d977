package io.cortexhub.node.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes on the command line: a whole number of bytes with an optional binary suffix — {@code K},
 * {@code M}, {@code G} or {@code T} (powers of 1024), optionally followed by {@code B} or {@code
 * iB}, in either case: {@code 1048576}, {@code 512M}, {@code 2G}, {@code 64KiB}.
 *
 * <p>Why not decimal units: the budgets this configures are compared with file sizes, where the
 * operator's {@code du -h} shows powers of 1024. Thread-safe (stateless).
 */
final class ByteSize implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:I?B)?|B)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  static long parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("size must not be negative, got '" + text + "'");
    }
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size in bytes with an optional K, M, G or T suffix (powers of 1024), e.g. 512M or 2G, got '"
              + text
              + "'");
    }
    int shift =
        m.group(2) == null
            ? 0
            : switch (m.group(2).toUpperCase(Locale.ROOT)) {
              case "K" -> 10;
              case "M" -> 20;
              case "G" -> 30;
              default -> 40;
            };
    long number;
    try {
      number = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
    if (number > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
    return number << shift;
  }
}
