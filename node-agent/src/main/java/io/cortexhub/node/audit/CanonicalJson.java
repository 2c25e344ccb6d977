package io.cortexhub.node.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one JSON encoding audit records are hashed in, with a small strict reader beside it.
 *
 * <p>Hashes and signatures are computed over bytes, so the encoding must leave no choice open. The
 * canonical form of a value is:
 *
 * <ul>
 *   <li>objects: keys sorted by {@link String#compareTo} (UTF-16 code units, as RFC 8785), written
 *       as {@code {"a":1,"b":2}} — no whitespace anywhere;
 *   <li>strings: UTF-8; {@code "} and {@code \} escaped as {@code \"} and {@code \\}; U+0008,
 *       U+0009, U+000A, U+000C, U+000D as {@code \b \t \n \f \r}; other characters below U+0020 as
 *       {@code \}{@code u00xx} with lower-case hex; every other character literally (no {@code \/},
 *       no escaped non-ASCII). Unpaired surrogates are refused;
 *   <li>numbers: integers only, in the range of a Java {@code long}, in plain decimal ({@code 0},
 *       {@code -12}, never {@code -0}, {@code 1e3} or {@code 1.0});
 *   <li>{@code true}, {@code false}, arrays {@code [a,b]}. There is no {@code null}.
 * </ul>
 *
 * <p>The writer accepts {@link String}, {@link Long}, {@link Integer}, {@link Short}, {@link Byte},
 * {@link Boolean}, {@link Map} with {@code String} keys and {@link List}; anything else (a {@code
 * Double}, an enum, {@code null}) is refused with an {@link IllegalArgumentException}, so a record
 * is never written in a form that cannot be read back to the same bytes. The reader accepts any
 * JSON text made of those values (whitespace allowed), so {@code write(parse(s)).equals(s)} is the
 * test that {@code s} is canonical.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanonicalJson {
  /** Deepest nesting of objects and arrays either direction accepts. */
  public static final int MAX_DEPTH = 16;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** The canonical text of {@code value}. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(128);
    writeValue(out, value, 0);
    return out.toString();
  }

  /** The canonical UTF-8 bytes of {@code value}. */
  public static byte[] bytes(Object value) {
    return write(value).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code text} is exactly the canonical encoding of the value it holds. */
  public static boolean isCanonical(String text) {
    try {
      return write(parse(text)).equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Reads one JSON value: an unmodifiable {@code Map<String,Object>} (insertion order), an
   * unmodifiable {@code List<Object>}, a {@code String}, a {@code Long} or a {@code Boolean}.
   *
   * @throws MalformedJsonException naming the offset and what was wrong
   */
  public static Object parse(String text) {
    Objects.requireNonNull(text, "text");
    return new CanonicalJsonReader(text).document();
  }

  /** Reads a JSON object, refusing any other kind of value. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new MalformedJsonException("expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  /**
   * A deep unmodifiable copy of a map of writable values (integers as {@code Long}), so a record
   * handed out cannot be changed behind the log's back.
   *
   * @throws IllegalArgumentException for a value {@link #write} refuses
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freeze(Map<String, ?> map) {
    return (Map<String, Object>) freezeValue(map, 0);
  }

  private static Object freezeValue(Object value, int depth) {
    if (value instanceof String || value instanceof Long || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Map<?, ?> m) {
      checkDepth(depth);
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys must be strings, not " + describe(e.getKey()));
        }
        copy.put(key, freezeValue(e.getValue(), depth + 1));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      checkDepth(depth);
      List<Object> copy = new ArrayList<>(list.size());
      for (Object o : list) {
        copy.add(freezeValue(o, depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "audit values must be strings, integers, booleans, maps or lists, not " + describe(value));
  }

  /** Appends the canonical text of {@code value} to {@code out}. */
  static void writeTo(StringBuilder out, Object value) {
    writeValue(out, value, 0);
  }

  private static void writeValue(StringBuilder out, Object value, int depth) {
    if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      out.append(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Map<?, ?> m) {
      checkDepth(depth);
      // Sorting a key array is cheaper than building a TreeMap for the small maps records hold.
      String[] keys = new String[m.size()];
      int n = 0;
      for (Object k : m.keySet()) {
        if (!(k instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys must be strings, not " + describe(k));
        }
        keys[n++] = key;
      }
      Arrays.sort(keys);
      out.append('{');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        writeString(out, keys[i]);
        out.append(':');
        writeValue(out, m.get(keys[i]), depth + 1);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      checkDepth(depth);
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeValue(out, list.get(i), depth + 1);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "audit values must be strings, integers, booleans, maps or lists, not " + describe(value));
    }
  }

  static void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
    }
  }

  private static String describe(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
              throw new IllegalArgumentException("unpaired surrogate in string at index " + i);
            }
            out.append(c).append(s.charAt(++i));
          } else if (Character.isLowSurrogate(c)) {
            throw new IllegalArgumentException("unpaired surrogate in string at index " + i);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
