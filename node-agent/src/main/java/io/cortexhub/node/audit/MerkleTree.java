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
