package io.cortexhub.hub.pki;

import java.io.IOException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Reads a node's PKCS#10 request. Only the public key is taken, after the request's self-signature
 * proves the node holds the private key; subject and requested extensions are ignored (the hub
 * chooses the identity). Stateless.
 */
public final class Csrs {
  static final int MAX_DER_BYTES = 16 * 1024;

  private Csrs() {}

  /**
   * The EC P-256 public key of a valid request.
   *
   * @throws InvalidCsrException when the bytes are not a PKCS#10 request, the signature does not
   *     verify, or the key is not EC P-256
   */
  public static PublicKey publicKey(byte[] der) {
    if (der == null || der.length == 0) {
      throw new InvalidCsrException("csr_der is empty");
    }
    if (der.length > MAX_DER_BYTES) {
      throw new InvalidCsrException("csr_der is larger than " + MAX_DER_BYTES + " bytes");
    }
    JcaPKCS10CertificationRequest csr;
    try {
      csr = new JcaPKCS10CertificationRequest(der);
    } catch (IOException | RuntimeException e) {
      throw new InvalidCsrException("csr_der is not a DER PKCS#10 certification request", e);
    }
    var alg = csr.getSubjectPublicKeyInfo().getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
        || !(alg.getParameters() instanceof ASN1ObjectIdentifier curve)
        || !SECObjectIdentifiers.secp256r1.equals(curve)) {
      throw new InvalidCsrException("the CSR's key must be EC P-256 (secp256r1)");
    }
    try {
      // Through the JDK's "EC" key factory: BC's lookup by OID finds none in the JDK provider.
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(
          new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new InvalidCsrException("the CSR's signature does not verify");
      }
      if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
        throw new InvalidCsrException("the CSR's key must be EC P-256 (secp256r1)");
      }
      return key;
    } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException
        | IOException | RuntimeException e) {
      if (e instanceof InvalidCsrException i) {
        throw i;
      }
      throw new InvalidCsrException("the CSR's signature cannot be verified: " + e.getMessage(), e);
    }
  }

  private static boolean isP256(ECParameterSpec p) {
    return p.getCurve().getField().getFieldSize() == 256 && p.getOrder().bitLength() == 256;
  }
}
