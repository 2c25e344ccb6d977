package io.cortexhub.node.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A signed tree head over the first {@code treeSize} records of a node's audit log (RFC 6962 style).
 *
 * <p>The node writes one into its own log (as an {@code audit.checkpoint} record) every N records,
 * on demand and on close, and sends each to the hub, which stores it. Because the hub's copy is out
 * of the node's reach, a log shorter than a stored checkpoint, or whose first {@code treeSize}
 * records hash to another root, is caught by {@link AuditVerifier}.
 *
 * <p>The signature covers {@link #signedMessage}, the UTF-8 bytes of five lines, each ending in
 * {@code \n}: {@code cortex-node audit checkpoint v1}, the tree size in decimal, the root hash in
 * lower-case hex, the last record hash in lower-case hex, and the creation time in Unix epoch
 * milliseconds in decimal. The hub verifies the same bytes with the node certificate's public key.
 *
 * <p>JSON form (in the log's record fields and in the hub's export for {@code audit verify
 * --checkpoints}): {@code {"algorithm":..., "createdAtUnixMs":..., "lastRecordHash":"<hex>",
 * "rootHash":"<hex>", "signature":"<base64>", "treeSize":...}}.
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * @param treeSize number of records covered, from the first (seq 1) to seq {@code treeSize}
 * @param rootHash RFC 6962 Merkle tree hash over those records' leaf hashes (32 bytes)
 * @param lastRecordHash SHA-256 of record {@code treeSize}'s canonical bytes (32 bytes)
 * @param createdAtUnixMs when the node made the checkpoint
 * @param signature signature over {@link #signedMessage}
 * @param algorithm JCA signature algorithm, one of {@link #ALGORITHMS}
 */
public record Checkpoint(
    long treeSize, byte[] rootHash, byte[] lastRecordHash, long createdAtUnixMs, byte[] signature, String algorithm) {

  /** Signature algorithms a verifier accepts (anything else is refused, never tried). */
  public static final Set<String> ALGORITHMS =
      Set.of(
          "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA",
          "SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "Ed25519");

  private static final String HEADER = "cortex-node audit checkpoint v1\n";

  public Checkpoint {
    if (treeSize < 1) {
      throw new IllegalArgumentException("treeSize must be at least 1: " + treeSize);
    }
    rootHash = checkHash(rootHash, "rootHash");
    lastRecordHash = checkHash(lastRecordHash, "lastRecordHash");
    signature = Objects.requireNonNull(signature, "signature").clone();
    Objects.requireNonNull(algorithm, "algorithm");
  }

  private static byte[] checkHash(byte[] h, String what) {
    if (Objects.requireNonNull(h, what).length != Hashing.SHA256_BYTES) {
      throw new IllegalArgumentException(what + " must be 32 bytes, not " + h.length);
    }
    return h.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public byte[] lastRecordHash() {
    return lastRecordHash.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The bytes the signature covers (see the type's Javadoc). */
  public byte[] signedMessage() {
    return signedMessage(treeSize, rootHash, lastRecordHash, createdAtUnixMs);
  }

  /** The bytes a checkpoint with these values is signed over. */
  public static byte[] signedMessage(long treeSize, byte[] rootHash, byte[] lastRecordHash, long createdAtUnixMs) {
    String text =
        HEADER
            + treeSize
            + "\n"
            + Hashing.hex(rootHash)
            + "\n"
            + Hashing.hex(lastRecordHash)
            + "\n"
            + createdAtUnixMs
            + "\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Whether the signature verifies with {@code key}.
   *
   * @throws IllegalArgumentException if {@link #algorithm} is not one of {@link #ALGORITHMS} or
   *     does not fit the key
   */
  public boolean verify(PublicKey key) {
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("unsupported signature algorithm \"" + algorithm + "\"");
    }
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(key);
      s.update(signedMessage());
      return s.verify(signature);
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes: not a valid signature
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot verify a " + algorithm + " signature with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
    }
  }

  /** The JSON object form (as a map for {@link CanonicalJson}). */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", algorithm);
    m.put("createdAtUnixMs", createdAtUnixMs);
    m.put("lastRecordHash", Hashing.hex(lastRecordHash));
    m.put("rootHash", Hashing.hex(rootHash));
    m.put("signature", Base64.getEncoder().encodeToString(signature));
    m.put("treeSize", treeSize);
    return m;
  }

  /** The canonical JSON object text. */
  public String toJson() {
    return CanonicalJson.write(toJsonMap());
  }

  /**
   * Reads the JSON object form.
   *
   * @throws IllegalArgumentException naming the missing or malformed key
   */
  public static Checkpoint fromJson(Map<String, ?> m) {
    Objects.requireNonNull(m, "m");
    return new Checkpoint(
        longValue(m, "treeSize"),
        Hashing.unhexSha256(stringValue(m, "rootHash"), "rootHash"),
        Hashing.unhexSha256(stringValue(m, "lastRecordHash"), "lastRecordHash"),
        longValue(m, "createdAtUnixMs"),
        base64(stringValue(m, "signature")),
        stringValue(m, "algorithm"));
  }

  /** Reads a JSON array of checkpoint objects (the hub's export). */
  public static List<Checkpoint> parseList(String json) {
    Object v = CanonicalJson.parse(json);
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException("expected a JSON array of checkpoints");
    }
    List<Checkpoint> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("checkpoint #" + (i + 1) + " is not a JSON object");
      }
      try {
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        out.add(fromJson(typed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("checkpoint #" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static long longValue(Map<String, ?> m, String key) {
    if (m.get(key) instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException("\"" + key + "\" must be an integer");
  }

  private static String stringValue(Map<String, ?> m, String key) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("\"" + key + "\" must be a string");
  }

  private static byte[] base64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"signature\" is not base64", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && treeSize == c.treeSize
        && createdAtUnixMs == c.createdAtUnixMs
        && Arrays.equals(rootHash, c.rootHash)
        && Arrays.equals(lastRecordHash, c.lastRecordHash)
        && Arrays.equals(signature, c.signature)
        && algorithm.equals(c.algorithm);
  }

  @Override
  public int hashCode() {
    return Objects.hash(treeSize, createdAtUnixMs, Arrays.hashCode(rootHash), algorithm);
  }

  @Override
  public String toString() {
    return "Checkpoint[treeSize=" + treeSize + ", rootHash=" + Hashing.hex(rootHash) + ", createdAtUnixMs="
        + createdAtUnixMs + ", algorithm=" + algorithm + "]";
  }
}
