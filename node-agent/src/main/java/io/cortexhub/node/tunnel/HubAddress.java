package io.cortexhub.node.tunnel;

import java.util.Objects;

/**
 * Where the hub's tunnel listens: {@code HOST:PORT}, with IPv6 literals in brackets ({@code
 * [::1]:9443}).
 */
public record HubAddress(String host, int port) {
  public HubAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("hub host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("hub port must be 1..65535, got " + port);
    }
  }

  /** Parses {@code HOST:PORT}; the message of the exception says what is wrong. */
  public static HubAddress parse(String text) {
    String t = text == null ? "" : text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("hub address must be HOST:PORT, got '" + text + "'");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 hub address needs brackets: [" + host + "]:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("hub port must be a number, got '" + t.substring(colon + 1) + "'");
    }
    return new HubAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
