package io.cortexhub.node.verify;

import com.google.protobuf.ByteString;
import java.time.Instant;

/**
 * The task nonces this node has seen, each kept until the task it came with can no longer be valid
 * (its {@code not_after} plus the clock skew allowed), so that a replayed task is refused even after
 * the agent restarted.
 *
 * <p>Implementations are thread-safe and prune expired nonces by themselves.
 */
public interface ReplayCache extends AutoCloseable {
  /** Nonces are exactly this long ({@code TaskSpec.nonce}, 128 random bits from the hub). */
  int NONCE_LENGTH = 16;

  /**
   * Records {@code nonce} unless it is already known.
   *
   * @param retainUntil when the nonce may be forgotten
   * @return true if the nonce was new (and is now recorded), false if it was seen before
   * @throws ReplayCacheException if a new nonce cannot be recorded durably; the caller must then
   *     not run the task, since a restart would forget the nonce
   * @throws IllegalArgumentException if the nonce is not {@link #NONCE_LENGTH} bytes
   */
  boolean firstUse(ByteString nonce, Instant retainUntil);

  /** Nonces remembered now (after pruning). */
  int size();

  @Override
  void close();
}
