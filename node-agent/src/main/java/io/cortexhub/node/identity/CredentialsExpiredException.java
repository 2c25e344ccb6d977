package io.cortexhub.node.identity;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The node certificate has expired: a node that was offline (or failed to renew) past its
 * certificate's lifetime cannot prove who it is any more and must enroll again with a new join
 * token. The message says exactly that, with the command.
 */
public final class CredentialsExpiredException extends RuntimeException {
  private final String nodeId;
  private final Instant notAfter;

  public CredentialsExpiredException(String nodeId, Instant notAfter, Path stateDir) {
    super(
        "the certificate of node "
            + nodeId
            + " expired at "
            + notAfter
            + "; a node offline (or unable to renew) past its certificate's lifetime must re-enroll: ask an"
            + " admin for a join token and run `cortex-node enroll --hub HOST:PORT --token TOKEN"
            + " --ca-fingerprint sha256:HEX --state-dir "
            + stateDir
            + " --force`");
    this.nodeId = nodeId;
    this.notAfter = notAfter;
  }

  public String nodeId() {
    return nodeId;
  }

  public Instant notAfter() {
    return notAfter;
  }
}
