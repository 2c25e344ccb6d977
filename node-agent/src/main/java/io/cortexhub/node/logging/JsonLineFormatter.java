package io.cortexhub.node.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Renders each {@link LogRecord} as one JSON object on one line.
 *
 * <p>Fields: {@code ts} (ISO-8601 instant), {@code level}, {@code logger}, {@code msg}, then {@code
 * node}, {@code task}, {@code trace} when the record carries a {@link LogContext}, and {@code error}
 * (class, message and stack) when it carries a throwable. Records from other libraries (gRPC, Netty)
 * get the same shape minus the context. Thread-safe (stateless).
 */
public final class JsonLineFormatter extends Formatter {
  @Override
  public String format(LogRecord r) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"ts\":\"").append(r.getInstant()).append('"');
    field(b, "level", levelName(r.getLevel()));
    field(b, "logger", r.getLoggerName());
    Object[] params = r.getParameters();
    LogContext ctx = null;
    String msg = r.getMessage();
    if (params != null && params.length == 1 && params[0] instanceof LogContext c) {
      ctx = c;
    } else if (params != null && params.length > 0) {
      msg = formatMessage(r); // a foreign record with {0}-style parameters
    }
    field(b, "msg", msg);
    if (ctx != null) {
      optionalField(b, "node", ctx.node());
      optionalField(b, "task", ctx.task());
      optionalField(b, "trace", ctx.trace());
    }
    if (r.getThrown() != null) {
      StringWriter sw = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(sw));
      field(b, "error", sw.toString().stripTrailing());
    }
    return b.append("}\n").toString();
  }

  private static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    } else if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  private static void optionalField(StringBuilder b, String name, String value) {
    if (value != null && !value.isEmpty()) {
      field(b, name, value);
    }
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    if (value == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
