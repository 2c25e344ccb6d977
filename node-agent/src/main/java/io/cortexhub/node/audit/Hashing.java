package io.cortexhub.node.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and hex helpers shared by the log, the Merkle tree and the verifier. */
final class Hashing {
  static final int SHA256_BYTES = 32;

  /** The {@code prev} of the first record: 32 zero bytes. */
  static final byte[] GENESIS = new byte[SHA256_BYTES];

  private static final HexFormat HEX = HexFormat.of();

  private Hashing() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** SHA-256 of a record's canonical bytes: what the next record's {@code prev} holds. */
  static byte[] recordHash(MessageDigest md, byte[] canonical) {
    md.reset();
    return md.digest(canonical);
  }

  /** RFC 6962 leaf hash: SHA-256(0x00 || bytes). */
  static byte[] leafHash(MessageDigest md, byte[] canonical) {
    md.reset();
    md.update((byte) 0x00);
    return md.digest(canonical);
  }

  /** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
  static byte[] nodeHash(MessageDigest md, byte[] left, byte[] right) {
    md.reset();
    md.update((byte) 0x01);
    md.update(left);
    return md.digest(right);
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Parses 64 lower-case hex digits, refusing anything else. */
  static byte[] unhexSha256(String hex, String what) {
    if (hex.length() != 2 * SHA256_BYTES || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(what + " must be 64 lower-case hex digits");
    }
    return HEX.parseHex(hex);
  }
}
