package io.cortexhub.node.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed unified diff of one file, as {@code diff -u} and {@code git diff} write it.
 *
 * <p>Lines are kept byte for byte: the diff's bytes are read as ISO-8859-1, one char per byte, and
 * every hunk line carries its own {@code "\n"} unless a {@code "\ No newline at end of file"} marker
 * follows it, so comparing hunk lines with file lines also checks the file's final newline. Header
 * lines ({@code diff --git}, {@code index}, mode lines) are skipped; file names are ignored except
 * {@code /dev/null}, which marks a created or deleted file. A diff touching two files, a binary
 * diff, a diff without hunks and a hunk whose line counts disagree with its body are refused.
 * Immutable.
 *
 * @param createsFile the old side is {@code /dev/null}: the file must not exist yet
 * @param deletesFile the new side is {@code /dev/null}: the file must end up empty and is removed
 */
record UnifiedDiff(boolean createsFile, boolean deletesFile, List<Hunk> hunks) {
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");
  private static final String DEV_NULL = "/dev/null";

  /**
   * One hunk.
   *
   * @param number 1-based position in the diff, for messages
   * @param oldStart 1-based first old line (for an insertion without context: the line it follows)
   * @param oldLines the lines the file must have here (context and removed), with terminators
   * @param newLines the lines that replace them (context and added), with terminators
   */
  record Hunk(int number, String header, int oldStart, List<String> oldLines, List<String> newLines) {
    Hunk {
      oldLines = List.copyOf(oldLines);
      newLines = List.copyOf(newLines);
    }
  }

  UnifiedDiff {
    hunks = List.copyOf(hunks);
  }

  /** Parses a diff given as the bytes-as-chars of its text ({@link Patcher#bytesAsText}). */
  static UnifiedDiff parse(String text) {
    List<String> lines = splitLines(text);
    boolean creates = false;
    boolean deletes = false;
    boolean sawHeader = false;
    List<Hunk> hunks = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.startsWith("--- ") && i + 1 < lines.size() && lines.get(i + 1).startsWith("+++ ")) {
        if (sawHeader || !hunks.isEmpty()) {
          throw refused("the patch changes more than one file; send one patch per file");
        }
        sawHeader = true;
        creates = fileName(line).equals(DEV_NULL);
        deletes = fileName(lines.get(i + 1)).equals(DEV_NULL);
        i += 2;
      } else if (line.startsWith("@@")) {
        i = hunk(lines, i, hunks);
      } else if (line.startsWith("GIT binary patch") || line.startsWith("Binary files ")) {
        throw refused("binary patches are not supported");
      } else if (line.equals("-- ")) {
        break; // the signature that git format-patch appends
      } else if (!hunks.isEmpty() && (line.startsWith("diff ") || line.startsWith("Index: "))) {
        throw refused("the patch changes more than one file; send one patch per file");
      } else if (!hunks.isEmpty() && !line.isEmpty() && "+- \\".indexOf(line.charAt(0)) >= 0) {
        throw refused("hunk " + hunks.size() + " has more lines than its header " + hunks.get(hunks.size() - 1).header()
            + " counts");
      } else {
        i++; // header noise (index, mode, similarity lines) or trailing text
      }
    }
    if (hunks.isEmpty()) {
      throw refused("the patch has no hunks");
    }
    if (creates && deletes) {
      throw refused("the patch names /dev/null on both sides");
    }
    return new UnifiedDiff(creates, deletes, hunks);
  }

  /** Reads one hunk starting at its {@code @@} line; returns the index after it. */
  private static int hunk(List<String> lines, int at, List<Hunk> hunks) {
    String header = lines.get(at);
    int number = hunks.size() + 1;
    Matcher m = HUNK.matcher(header);
    if (!m.matches()) {
      throw refused("hunk " + number + " has a malformed header: " + Patcher.quote(header + "\n"));
    }
    int oldStart = number(m.group(1), header);
    int oldCount = m.group(2) == null ? 1 : number(m.group(2), header);
    int newCount = m.group(4) == null ? 1 : number(m.group(4), header);
    List<String> oldLines = new ArrayList<>();
    List<String> newLines = new ArrayList<>();
    int oldLeft = oldCount;
    int newLeft = newCount;
    char last = 0;
    int i = at + 1;
    while (oldLeft > 0 || newLeft > 0 || (i < lines.size() && lines.get(i).startsWith("\\"))) {
      if (i >= lines.size()) {
        throw refused("hunk " + number + " " + header + " ends early: " + oldLeft + " old and " + newLeft
            + " new lines missing");
      }
      String line = lines.get(i++);
      // An empty line is an empty context line whose leading space an editor or mailer stripped.
      char kind = line.isEmpty() ? ' ' : line.charAt(0);
      String content = line.isEmpty() ? "" : line.substring(1);
      switch (kind) {
        case ' ' -> {
          oldLines.add(content + "\n");
          newLines.add(content + "\n");
          oldLeft--;
          newLeft--;
        }
        case '-' -> {
          oldLines.add(content + "\n");
          oldLeft--;
        }
        case '+' -> {
          newLines.add(content + "\n");
          newLeft--;
        }
        case '\\' -> {
          // "\ No newline at end of file": the line before it has no terminator.
          if (last == ' ' || last == '-') {
            stripNewline(oldLines);
          }
          if (last == ' ' || last == '+') {
            stripNewline(newLines);
          }
          if (last == 0) {
            throw refused("hunk " + number + " starts with a no-newline marker");
          }
        }
        default -> throw refused("hunk " + number + " " + header + " has an unexpected line: " + Patcher.quote(line + "\n"));
      }
      if (oldLeft < 0 || newLeft < 0) {
        throw refused("hunk " + number + " " + header + " has more lines than its header counts");
      }
      if (kind != '\\') {
        last = kind;
      }
    }
    hunks.add(new Hunk(number, header.split(" @@", 2)[0] + " @@", oldStart, oldLines, newLines));
    return i;
  }

  private static void stripNewline(List<String> lines) {
    int last = lines.size() - 1;
    String l = lines.get(last);
    if (l.endsWith("\n")) {
      lines.set(last, l.substring(0, l.length() - 1));
    }
  }

  /** The diff's lines without their {@code "\n"}; no empty element for a final newline. */
  private static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      if (nl < 0) {
        lines.add(text.substring(from));
        break;
      }
      lines.add(text.substring(from, nl));
      from = nl + 1;
    }
    return lines;
  }

  private static String fileName(String headerLine) {
    String rest = headerLine.substring(4);
    int tab = rest.indexOf('\t');
    return (tab >= 0 ? rest.substring(0, tab) : rest).trim();
  }

  private static int number(String digits, String header) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw refused("line number out of range in " + Patcher.quote(header + "\n"));
    }
  }

  private static FsRefusedException refused(String why) {
    return new FsRefusedException("patch rejected: " + why);
  }
}
