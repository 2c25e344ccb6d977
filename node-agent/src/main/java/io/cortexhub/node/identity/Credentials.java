package io.cortexhub.node.identity;

import io.cortexhub.node.tls.CaFingerprintTrust;
import io.cortexhub.node.verify.TrustedSigningKey;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.TaskSigningKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Everything that makes a node itself, checked for consistency: its private key, the certificate
 * the hub issued for it (plus the issuing CA), the hub CAs it trusts, the hub keys whose task
 * signatures it accepts, and the identity the hub chose (node id, workspace, labels).
 *
 * <p>{@link #fromBundle} is the only way in, for a bundle just received and for one read back from
 * disk alike, so every copy the node uses passed the same checks. {@code bundle} keeps the hub's
 * message byte-for-byte for storage. Immutable.
 */
public record Credentials(
    String nodeId,
    String workspace,
    PrivateKey privateKey,
    List<X509Certificate> certificateChain,
    List<X509Certificate> trustedCas,
    List<TrustedSigningKey> signingKeys,
    Map<String, String> labels,
    NodeCredentialBundle bundle) {
  public Credentials {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(privateKey, "privateKey");
    certificateChain = List.copyOf(certificateChain);
    trustedCas = List.copyOf(trustedCas);
    signingKeys = List.copyOf(signingKeys);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(bundle, "bundle");
    if (certificateChain.isEmpty() || trustedCas.isEmpty() || signingKeys.isEmpty()) {
      throw new IllegalArgumentException("credentials need a certificate, a trusted CA and a signing key");
    }
  }

  /**
   * Checks a bundle against the key it was issued for.
   *
   * @throws InvalidCredentialsException naming the first problem: missing identity, unparseable or
   *     mismatched certificate, a certificate not issued by its CA or for another node, no trusted
   *     CA, no usable task-signing key
   */
  public static Credentials fromBundle(NodeCredentialBundle bundle, PrivateKey key) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(key, "key");
    String nodeId = bundle.getNodeId();
    if (nodeId.isBlank() || bundle.getWorkspace().isBlank()) {
      throw new InvalidCredentialsException("the credential bundle names no node id or workspace");
    }
    List<X509Certificate> chain = certificates(bundle.getCertificateChainPem(), "certificate chain");
    List<X509Certificate> cas = certificates(bundle.getTrustedCasPem(), "trusted CAs");
    if (chain.isEmpty()) {
      throw new InvalidCredentialsException("the credential bundle holds no node certificate");
    }
    if (cas.isEmpty()) {
      throw new InvalidCredentialsException("the credential bundle trusts no hub CA");
    }
    X509Certificate leaf = chain.get(0);
    String cn = commonName(leaf);
    if (!nodeId.equals(cn)) {
      throw new InvalidCredentialsException(
          "the node certificate is for CN=" + cn + " but the bundle names node " + nodeId);
    }
    checkKeyMatches(leaf, key);
    checkIssued(leaf, chain, cas);
    List<TrustedSigningKey> signing = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (TaskSigningKey k : bundle.getTaskSigningKeysList()) {
      try {
        signing.add(TrustedSigningKey.fromSpki(k.getKeyId(), k.getAlgorithm(), k.getPublicKey().toByteArray()));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (signing.isEmpty()) {
      throw new InvalidCredentialsException(
          "the credential bundle holds no usable task-signing key" + (problems.isEmpty() ? "" : ": " + problems));
    }
    return new Credentials(nodeId, bundle.getWorkspace(), key, chain, cas, signing, bundle.getLabelsMap(), bundle);
  }

  /** The node certificate. */
  public X509Certificate certificate() {
    return certificateChain.get(0);
  }

  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  public Duration lifetime() {
    return Duration.between(notBefore(), notAfter());
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(notAfter());
  }

  /** Never the private key: records print every component otherwise. */
  @Override
  public String toString() {
    return "Credentials[" + describe() + "]";
  }

  /** {@code sha256:…} of each trusted CA, for logs and status output. */
  public List<String> trustedCaFingerprints() {
    return trustedCas.stream().map(CaFingerprintTrust::fingerprintOf).toList();
  }

  /** One line for logs: node, workspace, serial, validity. */
  public String describe() {
    return "node "
        + nodeId
        + " (workspace "
        + workspace
        + "), certificate serial "
        + certificate().getSerialNumber().toString(16)
        + " valid "
        + notBefore()
        + " to "
        + notAfter();
  }

  private static List<X509Certificate> certificates(String pem, String what) {
    if (pem.isBlank()) {
      return List.of();
    }
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (GeneralSecurityException e) {
      throw new InvalidCredentialsException("the bundle's " + what + " is not PEM X.509: " + e.getMessage(), e);
    }
  }

  private static String commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
      return "";
    } catch (InvalidNameException e) {
      throw new InvalidCredentialsException("the node certificate's subject cannot be read: " + e.getMessage(), e);
    }
  }

  /** Proves possession: a signature by {@code key} must verify with the certificate's public key. */
  private static void checkKeyMatches(X509Certificate leaf, PrivateKey key) {
    String alg =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> throw new InvalidCredentialsException("unsupported node key algorithm " + key.getAlgorithm());
        };
    byte[] probe = "cortex-node key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(leaf.getPublicKey());
      v.update(probe);
      if (v.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // falls through: the key does not fit the certificate
    }
    throw new InvalidCredentialsException("the node certificate was not issued for this node's private key");
  }

  private static void checkIssued(X509Certificate leaf, List<X509Certificate> chain, List<X509Certificate> cas) {
    List<X509Certificate> issuers = new ArrayList<>(chain.subList(1, chain.size()));
    issuers.addAll(cas);
    for (X509Certificate ca : issuers) {
      if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(ca.getPublicKey());
        return;
      } catch (GeneralSecurityException e) {
        // another CA of the same name (rotation); keep looking
      }
    }
    throw new InvalidCredentialsException(
        "the node certificate (issuer " + leaf.getIssuerX500Principal().getName() + ") was not signed by any CA in the bundle");
  }
}
