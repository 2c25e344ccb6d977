package io.cortexhub.hub.persistence;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes string lists and maps into one portable text column (form-encoding: {@code a&b} and
 * {@code k=v&k2=v2}), so argv, env and selectors need no vendor JSON type. Reversible for every
 * input, including empty strings, '&amp;', '=' and non-ASCII text. Stateless.
 */
public final class TextCodec {
  private TextCodec() {}

  public static String encodeList(List<String> values) {
    if (values.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      // A leading '&' marks each element so that a single empty string survives the round trip.
      b.append('&').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  public static List<String> decodeList(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : text.substring(1).split("&", -1)) {
      out.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
    }
    return out;
  }

  public static String encodeMap(Map<String, String> map) {
    StringBuilder b = new StringBuilder();
    for (var e : new TreeMap<>(map).entrySet()) {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  public static Map<String, String> decodeMap(String text) {
    if (text == null || text.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.split("&")) {
      int eq = part.indexOf('=');
      out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
