package io.cortexhub.node.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict recursive-descent reader behind {@link CanonicalJson#parse}: standard JSON with
 * whitespace, but only the values audit records hold (no floats, no null, no duplicate keys,
 * bounded depth). One use per string; not thread-safe.
 */
final class CanonicalJsonReader {
  private final String s;
  private int pos;

  CanonicalJsonReader(String s) {
    this.s = s;
  }

  /** Reads the whole string as one value. */
  Object document() {
    skipWhitespace();
    Object value = value(0);
    skipWhitespace();
    if (pos != s.length()) {
      throw error("unexpected data after the value");
    }
    return value;
  }

  MalformedJsonException error(String what) {
    return new MalformedJsonException(what + " at offset " + pos);
  }

  void skipWhitespace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  Object value(int depth) {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> throw error("null is not allowed");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Object literal(String word, Boolean value) {
    if (!s.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return value;
  }

  private Map<String, Object> object(int depth) {
    if (depth >= CanonicalJson.MAX_DEPTH) {
      throw error("nested deeper than " + CanonicalJson.MAX_DEPTH);
    }
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(m);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      int keyAt = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth + 1);
      if (m.put(key, v) != null) {
        pos = keyAt;
        throw error("duplicate key \"" + key + "\"");
      }
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(m);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    if (depth >= CanonicalJson.MAX_DEPTH) {
      throw error("nested deeper than " + CanonicalJson.MAX_DEPTH);
    }
    pos++;
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private Long number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == digits) {
      throw error("expected a digit");
    }
    if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      throw error("only integers are allowed");
    }
    if (s.charAt(digits) == '0' && pos - digits > 1) {
      pos = start;
      throw error("leading zero in number");
    }
    try {
      return Long.parseLong(s, start, pos, 10);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("integer out of range");
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder out = null;
    int runStart = pos;
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        String result = out == null ? s.substring(runStart, pos) : out.append(s, runStart, pos).toString();
        pos++;
        checkSurrogates(result);
        return result;
      }
      if (c < 0x20) {
        throw error("raw control character in string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder();
      }
      out.append(s, runStart, pos);
      pos++;
      char e = next();
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> {
          pos--;
          throw error("bad escape \\" + e);
        }
      }
      runStart = pos;
    }
  }

  private void checkSurrogates(String str) {
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < str.length() && Character.isLowSurrogate(str.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw error("unpaired surrogate in string");
      }
    }
  }

  private char hex4() {
    if (pos + 4 > s.length()) {
      throw error("short \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(s.charAt(pos + i), 16);
      if (d < 0) {
        throw error("bad hex digit in \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private char peek() {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    return s.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }
}
