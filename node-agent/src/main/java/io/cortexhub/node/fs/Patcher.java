package io.cortexhub.node.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link UnifiedDiff} to a file's content, exactly: fuzz 0, so every context and removed
 * line must match byte for byte (the final newline included). A hunk may sit at another line than
 * its header says (the file changed above it); the nearest place where it matches completely is
 * used, never overlapping an earlier hunk, and the shift is reported. A hunk that matches nowhere
 * is refused with the first differing line at the place the header names. Stateless, thread-safe.
 */
final class Patcher {
  private Patcher() {}

  /** The outcome: new content and, per hunk, how many lines it moved from its header's position. */
  record Result(byte[] content, List<Integer> offsets) {}

  /** Bytes as a string of one char per byte, so patching is byte-exact whatever the encoding. */
  static String bytesAsText(byte[] data) {
    return new String(data, StandardCharsets.ISO_8859_1);
  }

  static Result apply(UnifiedDiff diff, byte[] original, String fileForMessages) {
    List<String> file = splitKeepingNewlines(bytesAsText(original));
    List<String> out = new ArrayList<>(file.size() + 16);
    List<Integer> offsets = new ArrayList<>();
    int cursor = 0;
    int drift = 0;
    for (UnifiedDiff.Hunk h : diff.hunks()) {
      int stated = h.oldLines().isEmpty() ? h.oldStart() : h.oldStart() - 1;
      int expected = stated + drift;
      int at = find(file, h.oldLines(), expected, cursor);
      if (at < 0) {
        throw new FsRefusedException(
            "patch rejected: hunk " + h.number() + " " + h.header() + " does not apply to " + fileForMessages + ": "
                + mismatch(file, h, Math.max(stated, cursor)));
      }
      out.addAll(file.subList(cursor, at));
      out.addAll(h.newLines());
      cursor = at + h.oldLines().size();
      drift = at - stated;
      offsets.add(drift);
    }
    out.addAll(file.subList(cursor, file.size()));
    StringBuilder b = new StringBuilder();
    out.forEach(b::append);
    String joined = b.toString();
    // A removed newline at the end of an earlier line can glue it to the next; fuzz 0 forbids that.
    for (int i = 0; i < out.size() - 1; i++) {
      if (!out.get(i).endsWith("\n")) {
        throw new FsRefusedException(
            "patch rejected: it leaves line " + (i + 1) + " of " + fileForMessages + " without a newline before more lines");
      }
    }
    return new Result(joined.getBytes(StandardCharsets.ISO_8859_1), offsets);
  }

  /** Nearest index at or after {@code min} where {@code want} matches completely, or -1. */
  private static int find(List<String> file, List<String> want, int expected, int min) {
    int last = file.size() - want.size();
    if (want.isEmpty()) {
      // Nothing to verify (an insertion made without context): only the stated place will do.
      return expected >= min && expected <= file.size() ? expected : -1;
    }
    for (int d = 0; expected - d >= min || expected + d <= last; d++) {
      if (matches(file, want, expected + d, min, last)) {
        return expected + d;
      }
      if (d > 0 && matches(file, want, expected - d, min, last)) {
        return expected - d;
      }
    }
    return -1;
  }

  private static boolean matches(List<String> file, List<String> want, int at, int min, int last) {
    if (at < min || at > last) {
      return false;
    }
    for (int i = 0; i < want.size(); i++) {
      if (!file.get(at + i).equals(want.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String mismatch(List<String> file, UnifiedDiff.Hunk h, int at) {
    List<String> want = h.oldLines();
    for (int i = 0; i < want.size(); i++) {
      int line = at + i;
      if (line >= file.size()) {
        return "expected " + quote(want.get(i)) + " at line " + (line + 1) + " but the file has only "
            + file.size() + " lines";
      }
      if (!file.get(line).equals(want.get(i))) {
        return "at line " + (line + 1) + " expected " + quote(want.get(i)) + " but found " + quote(file.get(line));
      }
    }
    return "it overlaps an earlier hunk";
  }

  private static List<String> splitKeepingNewlines(String text) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int end = nl < 0 ? text.length() : nl + 1;
      lines.add(text.substring(from, end));
      from = end;
    }
    return lines;
  }

  /** A line for a message: quoted, shortened, its missing final newline said in words. */
  static String quote(String line) {
    boolean newline = line.endsWith("\n");
    String body = newline ? line.substring(0, line.length() - 1) : line;
    String shown = body.length() > 80 ? body.substring(0, 77) + "..." : body;
    // The text is bytes-as-chars; show it as UTF-8 again where it is.
    shown = new String(shown.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return "\"" + shown.replace("\r", "\\r").replace("\t", "\\t") + "\"" + (newline ? "" : " (no newline at end)");
  }
}
