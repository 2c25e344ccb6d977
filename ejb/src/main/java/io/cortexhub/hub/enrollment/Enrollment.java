package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.persistence.JdbcTransactions;
import io.cortexhub.hub.pki.Csrs;
import io.cortexhub.hub.pki.HubPki;
import io.cortexhub.hub.pki.Pem;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.signing.TaskSigner;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Turns a join token and a CSR into a node identity and certificate (enroll), and a valid
 * identity and a fresh CSR into a new certificate (renew). The hub chooses node id, workspace and
 * every certificate field; the CSR contributes its public key only, after its self-signature
 * proved possession. Enrollment uses the token, creates the identity and records the certificate
 * in one transaction, and the CSR is checked before the token is touched, so a bad request never
 * burns a token. Thread-safe.
 */
public final class Enrollment {
  private static final Logger LOG = Logger.getLogger(Enrollment.class.getName());
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final DataSource dataSource;
  private final JdbcJoinTokens tokens;
  private final JdbcNodeIdentities identities;
  private final JdbcNodeRevocations revocations;
  private final HubPki pki;
  private final TaskSigner signer;
  private final Clock clock;
  private final Random random;

  public Enrollment(DataSource dataSource, JdbcJoinTokens tokens, JdbcNodeIdentities identities,
      JdbcNodeRevocations revocations, HubPki pki, TaskSigner signer, Clock clock,
      Random random) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.pki = Objects.requireNonNull(pki, "pki");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Enrolls a new node.
   *
   * @throws io.cortexhub.hub.pki.InvalidCsrException when the CSR is unusable (token untouched)
   * @throws JoinTokenRefusedException when the token is unknown, used, expired or revoked
   */
  public CredentialBundle enroll(String joinToken, byte[] csrDer, String requestedName) {
    PublicKey key = Csrs.publicKey(csrDer);
    String name = requestedName != null && NAME.matcher(requestedName).matches()
        ? requestedName : "node";
    Instant now = clock.instant();
    NodeId id = newNodeId();
    EnrolledNode[] created = new EnrolledNode[1];
    X509Certificate[] issued = new X509Certificate[2];
    JdbcTransactions.inTransaction(dataSource, "enroll a node", c -> {
      JoinTokenGrant grant = tokens.redeem(c, joinToken);
      EnrolledNode node = new EnrolledNode(new NodeIdentity(id, grant.workspace()), name,
          grant.labels(), Optional.of(grant.tokenId()), now);
      identities.insert(c, node);
      HubPki.Snapshot s = pki.snapshot();
      X509Certificate cert = pki.issueNodeCertificate(key, node.identity());
      identities.recordCertificate(c, id, cert, s.issuing().certificate(), "ENROLL", now);
      created[0] = node;
      issued[0] = cert;
      issued[1] = s.issuing().certificate();
      return null;
    });
    identities.committed(created[0]);
    LOG.info(() -> "node=" + id + " enrolled in workspace " + created[0].identity().workspace()
        + " as '" + name + "' with join token " + created[0].joinTokenId().orElse("?")
        + "; certificate " + issued[0].getSerialNumber().toString(16) + " valid until "
        + issued[0].getNotAfter().toInstant());
    return bundle(created[0], issued[0], issued[1]);
  }

  /**
   * Issues a new certificate for a new key of an enrolled, unrevoked node.
   *
   * @throws io.cortexhub.hub.pki.InvalidCsrException when the CSR is unusable
   * @throws NodeNotRenewableException when the node is unknown or revoked
   */
  public CredentialBundle renew(NodeIdentity who, byte[] csrDer) {
    PublicKey key = Csrs.publicKey(csrDer);
    EnrolledNode node = identities.find(who.id())
        .filter(n -> n.identity().equals(who))
        .orElseThrow(() -> new NodeNotRenewableException("node " + who.id()
            + " is not enrolled with this hub; re-enroll it"));
    if (revocations.isRevoked(who.id())) {
      throw new NodeNotRenewableException("node revoked");
    }
    Instant now = clock.instant();
    HubPki.Snapshot s = pki.snapshot();
    X509Certificate cert = pki.issueNodeCertificate(key, who);
    JdbcTransactions.inTransaction(dataSource, "record a renewal", c -> {
      identities.recordCertificate(c, who.id(), cert, s.issuing().certificate(), "RENEW", now);
      return null;
    });
    LOG.info(() -> "node=" + who.id() + " renewed its certificate from CA "
        + s.issuing().fingerprint() + "; valid until " + cert.getNotAfter().toInstant());
    return bundle(node, cert, s.issuing().certificate());
  }

  private CredentialBundle bundle(EnrolledNode node, X509Certificate cert, X509Certificate ca) {
    return new CredentialBundle(node.identity(), Pem.encode(List.of(cert, ca)),
        Pem.encode(pki.snapshot().nodeTrustBundle()), signer.keys(),
        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), node.labels());
  }

  private NodeId newNodeId() {
    StringBuilder b = new StringBuilder("n-");
    for (int i = 0; i < 20; i++) {
      b.append(BASE32[random.nextInt(BASE32.length)]);
    }
    return new NodeId(b.toString());
  }
}
