package io.cortexhub.e2e.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Forges user tokens for refusal tests: claims exactly as the hub issues them for an admin of every
 * workspace, changed in one respect, then signed with a given key, not signed at all ({@code alg: none}),
 * or HMAC-signed with the hub's public key as the secret (the algorithm-confusion attack). Stateless.
 */
public final class UserTokens {
  private UserTokens() {}

  /** Claims of a valid admin token issued now for ten minutes, changed by {@code change}. */
  public static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    return change
        .apply(
            new JWTClaimsSet.Builder()
                .issuer("cortex-hub")
                .audience("cortex-api")
                .subject("forged-admin")
                .claim("upn", "forged-admin")
                .claim("groups", List.of("admin"))
                .claim("workspaces", List.of("*"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString()))
        .build();
  }

  /** RS256 with {@code key}, header {@code typ: JWT}: what the hub's own tokens look like. */
  public static String sign(JWTClaimsSet claims, RSAKey key) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ES256 with an EC {@code key}: a well-formed token of an algorithm the hub does not use. */
  public static String signEs256(JWTClaimsSet claims, ECKey key) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims with header {@code {"alg":"none","typ":"JWT"}} and an empty signature. */
  public static String unsigned(JWTClaimsSet claims) {
    return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims.toPayload().toBase64URL() + ".";
  }

  /** HS256 with the PEM text of {@code key}'s public half as the HMAC secret. */
  public static String hs256WithPublicKey(JWTClaimsSet claims, RSAKey key) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new MACSigner(publicKeyPem(key).getBytes(StandardCharsets.US_ASCII)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code token} with its payload replaced by {@code claims}, keeping header and signature. */
  public static String withPayload(String token, JWTClaimsSet claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + claims.toPayload().toBase64URL() + "." + parts[2];
  }

  /** The public key as the PEM text a verifier would be configured with. */
  public static String publicKeyPem(RSAKey key) {
    try {
      byte[] der = key.toRSAPublicKey().getEncoded();
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END PUBLIC KEY-----\n";
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
