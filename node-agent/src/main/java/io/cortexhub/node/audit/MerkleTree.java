package io.cortexhub.node.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 6962 Merkle tree kept as its compact range: the roots of the perfect subtrees
 * that make up the first {@code size} leaves (one per set bit of {@code size}), so appending is
 * O(1) amortised and the tree head is O(log n), with O(log n) memory whatever the log's length.
 *
 * <p>The head equals RFC 6962's MTH: for n leaves split at the largest power of two k &lt; n,
 * MTH = SHA-256(0x01 || MTH(first k) || MTH(rest)); the empty tree's head is SHA-256 of nothing.
 *
 * <p>Not thread-safe: the log guards it with its own lock.
 */
final class MerkleTree {
  private final MessageDigest md = Hashing.sha256();
  /** Subtree roots, largest (leftmost) first. */
  private final List<byte[]> stack = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  /** The subtree roots that make up the tree, largest first: what {@link #restore} takes back. */
  List<byte[]> compactRange() {
    return stack.stream().map(byte[]::clone).toList();
  }

  /**
   * A tree of {@code size} leaves continued from its compact range, as saved in a checkpoint.
   *
   * @throws IllegalArgumentException if the range cannot belong to a tree of that size
   */
  static MerkleTree restore(long size, List<byte[]> range) {
    if (size < 0 || range.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size)
          + " subtree roots, not " + range.size());
    }
    MerkleTree t = new MerkleTree();
    for (byte[] h : range) {
      if (h.length != Hashing.SHA256_BYTES) {
        throw new IllegalArgumentException("a subtree root is 32 bytes, not " + h.length);
      }
      t.stack.add(h.clone());
    }
    t.size = size;
    return t;
  }

  /** Adds a leaf hash (already {@link Hashing#leafHash}ed). */
  void append(byte[] leafHash) {
    byte[] h = leafHash;
    // Each trailing one bit of size is a perfect subtree of the same height as the carry: merge.
    for (long s = size; (s & 1) == 1; s >>>= 1) {
      h = Hashing.nodeHash(md, stack.remove(stack.size() - 1), h);
    }
    stack.add(h);
    size++;
  }

  /** The tree head over every leaf appended so far. */
  byte[] root() {
    if (stack.isEmpty()) {
      md.reset();
      return md.digest();
    }
    byte[] r = stack.get(stack.size() - 1);
    for (int i = stack.size() - 2; i >= 0; i--) {
      r = Hashing.nodeHash(md, stack.get(i), r);
    }
    return r;
  }
}
