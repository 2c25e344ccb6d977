package io.cortexhub.node.audit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One line of the audit log.
 *
 * <p>On disk a record is the {@link CanonicalJson canonical} encoding of an object with exactly
 * these keys, followed by {@code \n}:
 *
 * <pre>{"fields":{...},"prev":"&lt;64 hex&gt;","seq":7,"taskId":"t-1","time":1700000000000,"type":"process.started"}</pre>
 *
 * {@code seq} counts from 1 without gaps; {@code prev} is the SHA-256 of the previous record's
 * line (without its {@code \n}), 64 zeros for the first; {@code time} is Unix epoch
 * milliseconds; {@code taskId} is empty for records about the node rather than a task.
 *
 * @param seq position in the log, from 1
 * @param timeUnixMs when the record was appended
 * @param type one of {@link AuditTypes}
 * @param taskId the task the record is about, or empty
 * @param fields type-specific details (strings, integers, booleans, maps, lists)
 * @param prevHash hex SHA-256 of the previous record
 * @param hash hex SHA-256 of this record's {@link #json}
 * @param json the canonical line, without the newline
 */
public record AuditRecord(
    long seq,
    long timeUnixMs,
    String type,
    String taskId,
    Map<String, Object> fields,
    String prevHash,
    String hash,
    String json) {

  static final Set<String> KEYS = Set.of("fields", "prev", "seq", "taskId", "time", "type");

  public AuditRecord {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(taskId, "taskId");
    fields = CanonicalJson.freeze(Objects.requireNonNull(fields, "fields"));
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(json, "json");
  }

  /**
   * Reads a record from its line (which must be canonical; the hash is of these exact bytes).
   *
   * @throws IllegalArgumentException naming what is wrong (not JSON, not canonical, a missing,
   *     extra or mistyped key)
   */
  public static AuditRecord parse(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return parse(line, Hashing.hex(Hashing.recordHash(Hashing.sha256(), bytes)));
  }

  /** {@link #parse(String)} with the line's hash already computed by the caller. */
  static AuditRecord parse(String line, String hash) {
    return fromParsed(line, CanonicalJson.parseObject(line), hash);
  }

  /** Checks an already parsed line {@code m} (read from {@code line}) and builds the record. */
  static AuditRecord fromParsed(String line, Map<String, Object> m, String hash) {
    if (!m.keySet().equals(KEYS)) {
      throw new IllegalArgumentException("an audit record has exactly the keys " + new java.util.TreeSet<>(KEYS)
          + ", this line has " + new java.util.TreeSet<>(m.keySet()));
    }
    if (!(m.get("seq") instanceof Long seq) || seq < 1) {
      throw new IllegalArgumentException("\"seq\" must be a positive integer");
    }
    if (!(m.get("time") instanceof Long time)) {
      throw new IllegalArgumentException("\"time\" must be an integer");
    }
    if (!(m.get("type") instanceof String type) || !AuditTypes.isWellFormed(type)) {
      throw new IllegalArgumentException("\"type\" must be a string of [a-z0-9.-]");
    }
    if (!(m.get("taskId") instanceof String taskId)) {
      throw new IllegalArgumentException("\"taskId\" must be a string");
    }
    if (!(m.get("prev") instanceof String prev)) {
      throw new IllegalArgumentException("\"prev\" must be a string");
    }
    Hashing.unhexSha256(prev, "\"prev\"");
    if (!(m.get("fields") instanceof Map<?, ?> rawFields)) {
      throw new IllegalArgumentException("\"fields\" must be an object");
    }
    if (!CanonicalJson.write(m).equals(line)) {
      throw new IllegalArgumentException("the line is valid JSON but not in canonical form (edited by hand?)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) rawFields;
    return new AuditRecord(seq, time, type, taskId, fields, prev, hash, line);
  }
}
