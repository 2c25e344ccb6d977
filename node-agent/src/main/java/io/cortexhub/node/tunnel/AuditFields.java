package io.cortexhub.node.tunnel;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds what goes into an audit record from a task: an argv may hold 4096 arguments of 128 KiB,
 * far beyond the log's record limit, and a record the log refuses would be a record lost. Exact up
 * to the bounds, visibly cut beyond them. Stateless.
 */
final class AuditFields {
  static final int MAX_ARGS = 128;
  static final int MAX_ARG_CHARS = 1024;

  private AuditFields() {}

  /** The argv itself when small; otherwise its first arguments, each cut, and a marker. */
  static List<String> argv(List<String> argv) {
    List<String> out = new ArrayList<>(Math.min(argv.size(), MAX_ARGS + 1));
    for (int i = 0; i < Math.min(argv.size(), MAX_ARGS); i++) {
      String a = argv.get(i);
      out.add(a.length() > MAX_ARG_CHARS ? a.substring(0, MAX_ARG_CHARS) + "...(" + a.length() + " chars)" : a);
    }
    if (argv.size() > MAX_ARGS) {
      out.add("...(" + (argv.size() - MAX_ARGS) + " more arguments)");
    }
    return out;
  }
}
