package io.cortexhub.hub.pki;

import io.cortexhub.hub.pki.PeerRefusedException.Reason;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides whether a TLS peer's client certificate admits it as a node, at the injected clock's
 * time: issued (directly) by a CA the hub trusts right now, within its validity, marked for client
 * authentication, naming exactly one node and workspace, of a node the hub enrolled and has not
 * revoked. The TLS layer only proves that the peer holds the certificate's key; every policy
 * decision is here, so that each refusal carries a reason an operator can act on. Thread-safe.
 */
public final class PeerCertificateVerifier {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final HubPki pki;
  private final Clock clock;
  private final Predicate<NodeId> enrolled;
  private final Predicate<NodeId> revoked;

  public PeerCertificateVerifier(HubPki pki, Clock clock, Predicate<NodeId> enrolled,
      Predicate<NodeId> revoked) {
    this.pki = Objects.requireNonNull(pki, "pki");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.enrolled = Objects.requireNonNull(enrolled, "enrolled");
    this.revoked = Objects.requireNonNull(revoked, "revoked");
  }

  /**
   * @param chain the peer's certificates, leaf first; null or empty when it sent none
   * @throws PeerRefusedException with the reason the peer is not admitted
   */
  public VerifiedPeer verify(Certificate[] chain) {
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new PeerRefusedException(Reason.NO_CERTIFICATE, "a client certificate is required;"
          + " enroll the node first (cortex-node enroll)");
    }
    X509Certificate issuer = issuerOf(leaf, pki.snapshot().clientAnchors())
        .orElseThrow(() -> new PeerRefusedException(Reason.UNTRUSTED_ISSUER,
            "the client certificate was not issued by a CA this hub trusts (issuer "
                + leaf.getIssuerX500Principal().getName() + "); enroll the node with this hub"));
    Instant now = clock.instant();
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new PeerRefusedException(Reason.EXPIRED, "the client certificate expired at "
          + leaf.getNotAfter().toInstant() + "; the node must re-enroll (cortex-node enroll with"
          + " a new join token)");
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new PeerRefusedException(Reason.NOT_YET_VALID, "the client certificate is not valid"
          + " before " + leaf.getNotBefore().toInstant() + "; check the node's clock");
    }
    if (!clientAuth(leaf)) {
      throw new PeerRefusedException(Reason.NOT_A_NODE_CERTIFICATE,
          "the certificate is not for client authentication");
    }
    NodeIdentity identity = NodeIdentities.of(leaf).orElseThrow(() -> new PeerRefusedException(
        Reason.NOT_A_NODE_CERTIFICATE, "the certificate names no node identity"));
    if (revoked.test(identity.id())) {
      throw new PeerRefusedException(Reason.REVOKED, "node revoked");
    }
    if (!enrolled.test(identity.id())) {
      throw new PeerRefusedException(Reason.UNKNOWN_NODE, "node " + identity.id()
          + " is not enrolled with this hub; re-enroll it");
    }
    return new VerifiedPeer(identity, leaf.getSerialNumber().toString(16),
        leaf.getNotAfter().toInstant(), Pem.fingerprint(issuer));
  }

  private static Optional<X509Certificate> issuerOf(X509Certificate leaf,
      List<X509Certificate> anchors) {
    for (X509Certificate ca : anchors) {
      if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(ca.getPublicKey());
        return Optional.of(ca);
      } catch (GeneralSecurityException e) {
        // Same name, different key (e.g. another hub's CA): keep looking, then refuse.
      }
    }
    return Optional.empty();
  }

  private static boolean clientAuth(X509Certificate cert) {
    try {
      List<String> eku = cert.getExtendedKeyUsage();
      return eku != null && eku.contains(CLIENT_AUTH);
    } catch (CertificateParsingException e) {
      return false;
    }
  }
}
