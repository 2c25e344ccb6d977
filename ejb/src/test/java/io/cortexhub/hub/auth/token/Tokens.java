package io.cortexhub.hub.auth.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Builds good and bad user tokens for tests, signed with a given {@link UserTokenKey}: claims are
 * those the hub issues, each overridable, and the attacks of the contract (alg none, HS256 keyed
 * with the public key, a tampered payload) are one call each.
 */
public final class Tokens {

  private final UserTokenKey key;
  private JWTClaimsSet.Builder claims;
  private JOSEObjectType type = JOSEObjectType.JWT;

  private Tokens(UserTokenKey key, Instant now) {
    this.key = key;
    this.claims = new JWTClaimsSet.Builder()
        .issuer("cortex-hub")
        .audience("cortex-api")
        .subject("alice")
        .claim("upn", "alice")
        .claim("groups", List.of("operator"))
        .claim("workspaces", List.of("default"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(900)))
        .jwtID(UUID.randomUUID().toString());
  }

  /** A valid token's claims issued at {@code now}, to be changed by the withers. */
  public static Tokens valid(UserTokenKey key, Instant now) {
    return new Tokens(key, now);
  }

  public Tokens claim(String name, Object value) {
    claims.claim(name, value);
    return this;
  }

  public Tokens issuer(String issuer) {
    claims.issuer(issuer);
    return this;
  }

  public Tokens audience(String audience) {
    claims.audience(audience);
    return this;
  }

  public Tokens expiresAt(Instant exp) {
    claims.expirationTime(Date.from(exp));
    return this;
  }

  public Tokens notBefore(Instant nbf) {
    claims.notBeforeTime(Date.from(nbf));
    return this;
  }

  public Tokens issuedAt(Instant iat) {
    claims.issueTime(Date.from(iat));
    return this;
  }

  public Tokens type(JOSEObjectType t) {
    type = t;
    return this;
  }

  /** Signed RS256 with the key. */
  public String sign() {
    return signWith(key);
  }

  /** Signed RS256 with another key. */
  public String signWith(UserTokenKey other) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(type)
          .keyID(other.keyId()).build(), claims.build());
      jwt.sign(new RSASSASigner(other.jwk()));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg: none}: the claims with an empty signature. */
  public String unsigned() {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    return header + "." + claims.build().toPayload().toBase64URL() + ".";
  }

  /**
   * The classic key-confusion attack: HS256 whose HMAC secret is the public key's PEM text, hoping
   * a verifier feeds its "key" to whatever algorithm the header names.
   */
  public String hs256WithThePublicKey() {
    try {
      byte[] secret = key.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
          .type(JOSEObjectType.JWT).build(), claims.build());
      jwt.sign(new MACSigner(Arrays.copyOf(secret, Math.max(secret.length, 32))));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A validly signed token whose payload is then swapped for one granting admin. */
  public String tampered() {
    String good = sign();
    String[] parts = good.split("\\.");
    String payload = claims.claim("groups", List.of("admin")).claim("workspaces", List.of("*"))
        .build().toPayload().toBase64URL().toString();
    return parts[0] + "." + payload + "." + parts[2];
  }
}
