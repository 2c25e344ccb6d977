package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.web.api.problem.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The {@code fs} member of a submit body: one file operation on the node, confined to its workspace
 * roots. Each operation uses only its own fields; any other field is refused rather than ignored, so
 * a typo never silently changes what runs.
 *
 * @param op list, stat, read, write, append, patch, mkdir, move or delete
 * @param path the file or directory, relative to the node's first workspace root or absolute
 *     inside one; for move, the source
 * @param to for move: the destination
 * @param text for write and append: the data as UTF-8 text
 * @param dataBase64 for write and append: the data as base64 (binary files); not with {@code text}
 * @param createParents for write and append: create missing parent directories
 * @param expectedSha256 for write and append: only if the file's current SHA-256 (hex) is this
 * @param offset for read: the first byte
 * @param length for read: how many bytes (absent or 0: to the end, within the node's read limit)
 * @param diff for patch: a unified diff as {@code diff -u} or {@code git diff} write it
 * @param recursive for list: descend into directories; for delete: delete a non-empty directory
 * @param parents for mkdir: create missing parents
 * @param replace for move: replace an existing destination
 */
@Schema(name = "FsOperation", description = "One file operation for an fs task")
public record FsOperationJson(
    @Schema(enumeration = {"list", "stat", "read", "write", "append", "patch", "mkdir", "move", "delete"},
        required = true) String op,
    String path,
    String to,
    String text,
    String dataBase64,
    Boolean createParents,
    String expectedSha256,
    Long offset,
    Long length,
    String diff,
    Boolean recursive,
    Boolean parents,
    Boolean replace) {

  /**
   * The hub's operation.
   *
   * @throws InvalidRequestException for an unknown op, a field the op does not use, or bad base64
   * @throws io.cortexhub.hub.dispatch.InvalidTaskRequestException for a missing path, oversized data
   */
  public FsOperation toOperation() {
    String name = op == null ? "" : op.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "list" -> {
        only(name, "path", "recursive");
        yield FsOperation.list(str(path), flag(recursive));
      }
      case "stat" -> {
        only(name, "path");
        yield FsOperation.stat(str(path));
      }
      case "read" -> {
        only(name, "path", "offset", "length");
        yield FsOperation.read(str(path), nonNegative("offset", offset), nonNegative("length", length));
      }
      case "write" -> {
        only(name, "path", "text", "dataBase64", "createParents", "expectedSha256");
        yield FsOperation.write(str(path), data(), flag(createParents), sha256());
      }
      case "append" -> {
        only(name, "path", "text", "dataBase64", "createParents", "expectedSha256");
        yield FsOperation.append(str(path), data(), flag(createParents), sha256());
      }
      case "patch" -> {
        only(name, "path", "diff");
        yield FsOperation.patch(str(path), str(diff));
      }
      case "mkdir" -> {
        only(name, "path", "parents");
        yield FsOperation.mkdir(str(path), flag(parents));
      }
      case "move" -> {
        only(name, "path", "to", "replace");
        yield FsOperation.move(str(path), str(to), flag(replace));
      }
      case "delete" -> {
        only(name, "path", "recursive");
        yield FsOperation.delete(str(path), flag(recursive));
      }
      default -> throw new InvalidRequestException("fs.op must be one of list, stat, read, write, append,"
          + " patch, mkdir, move, delete; got '" + op + "'");
    };
  }

  private byte[] data() {
    if (text != null && dataBase64 != null) {
      throw new InvalidRequestException("fs: give either text or dataBase64, not both");
    }
    if (dataBase64 == null) {
      return str(text).getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(dataBase64);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("fs.dataBase64 is not valid base64: " + e.getMessage());
    }
  }

  private String sha256() {
    return str(expectedSha256).toLowerCase(Locale.ROOT);
  }

  /** Refuses every set field outside {@code allowed}, naming them all. */
  private void only(String name, String... allowed) {
    Set<String> ok = Set.of(allowed);
    List<String> stray = new ArrayList<>();
    String[] fields = {"path", "to", "text", "dataBase64", "createParents", "expectedSha256", "offset", "length",
        "diff", "recursive", "parents", "replace"};
    Object[] values = {path, to, text, dataBase64, createParents, expectedSha256, offset, length, diff, recursive,
        parents, replace};
    for (int i = 0; i < fields.length; i++) {
      if (values[i] != null && !ok.contains(fields[i])) {
        stray.add("fs." + fields[i]);
      }
    }
    if (!stray.isEmpty()) {
      throw new InvalidRequestException(String.join(", ", stray) + (stray.size() == 1 ? " is" : " are")
          + " not used by " + name + "; leave " + (stray.size() == 1 ? "it" : "them") + " out");
    }
  }

  private static long nonNegative(String field, Long value) {
    if (value != null && value < 0) {
      throw new InvalidRequestException("fs." + field + " must not be negative");
    }
    return value == null ? 0 : value;
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }

  private static boolean flag(Boolean b) {
    return b != null && b;
  }
}
