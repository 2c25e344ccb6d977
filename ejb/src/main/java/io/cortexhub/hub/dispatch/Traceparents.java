package io.cortexhub.hub.dispatch;

import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;

/** W3C Trace Context {@code traceparent} values: validation and generation. Stateless. */
public final class Traceparents {
  private static final Pattern FORMAT =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

  private Traceparents() {}

  /** Whether {@code value} is a valid traceparent (version not ff, ids not all zero). */
  public static boolean isValid(String value) {
    var m = FORMAT.matcher(value);
    return m.matches() && !value.startsWith("ff")
        && !m.group(1).chars().allMatch(c -> c == '0')
        && !m.group(2).chars().allMatch(c -> c == '0');
  }

  /** A new sampled trace: version 00, random trace and span ids. */
  public static String generate(Random random) {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    do {
      random.nextBytes(trace);
      random.nextBytes(span);
    } while (allZero(trace) || allZero(span));
    HexFormat hex = HexFormat.of();
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01";
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
