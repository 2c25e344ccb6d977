package io.cortexhub.hub.pki;

/**
 * Two-phase rotation of the hub's CA without an outage.
 *
 * <ol>
 *   <li>{@link #startRotation}: a new CA is created; the hub trusts both CAs, issues node
 *       certificates from the new one, and tells every connected node to renew now. Nodes' trust
 *       bundles then hold both CAs.
 *   <li>{@link #finishRotation}: the tunnel's server certificate is re-issued from the new CA and
 *       the old CA is dropped. Nodes that have not renewed by then are refused and must renew
 *       before their certificate expires, or re-enroll.
 * </ol>
 *
 * Both steps take effect on the running listener (new handshakes); established streams carry on.
 * Implementations are thread-safe.
 */
public interface CaRotation {

  CaStatus status();

  /**
   * Starts a rotation.
   *
   * @throws CaRotationException when a rotation is already running or the CA is operator-managed
   */
  CaStatus startRotation(String by);

  /**
   * Finishes the running rotation.
   *
   * @throws CaRotationException when no rotation is running
   */
  CaStatus finishRotation(String by);
}
