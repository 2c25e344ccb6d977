package io.cortexhub.hub.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Mints and verifies node session tokens: ES256 JWTs, header {@code typ: JWT}, claims {@code iss
 * cortex-hub}, {@code aud cortex-node}, {@code sub} node id, {@code workspace}, {@code
 * capabilities}, {@code iat}, {@code exp}, {@code jti}.
 *
 * <p>The signing key is used for nothing else and lives only in memory: a token outlives neither
 * its 15 minutes nor the hub process, and every reconnect after a hub restart gets a fresh one, so
 * persisting the key would only add a secret to protect. Verification accepts exactly ES256 with
 * this key (so {@code alg: none} and HS256-signed-with-the-public-key forgeries fail), the issuer
 * and audience, and the expiry on the injected clock with {@value #SKEW_SECONDS} s of skew.
 * Thread-safe.
 */
public final class NodeSessionTokens {
  public static final String ISSUER = "cortex-hub";
  public static final String AUDIENCE = "cortex-node";
  static final long SKEW_SECONDS = 30;

  private final Clock clock;
  private final SecureRandom random;
  private final Duration lifetime;
  private final ECPublicKey publicKey;
  private final ECDSASigner signer;
  private final ECDSAVerifier verifier;
  private final String keyId;

  /** Tokens signed with a fresh in-memory key. */
  public NodeSessionTokens(Clock clock, SecureRandom random, Duration lifetime) {
    this(clock, random, lifetime, newKey(random));
  }

  /** Tokens signed with {@code keys} (EC P-256); tests forge tokens with the same key. */
  public NodeSessionTokens(Clock clock, SecureRandom random, Duration lifetime, KeyPair keys) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    try {
      this.publicKey = (ECPublicKey) keys.getPublic();
      this.signer = new ECDSASigner((ECPrivateKey) keys.getPrivate());
      this.verifier = new ECDSAVerifier(publicKey);
      byte[] kid = new byte[6];
      random.nextBytes(kid);
      this.keyId = "node-session-" + HexFormat.of().formatHex(kid);
    } catch (JOSEException | ClassCastException e) {
      throw new IllegalStateException("cannot create the node session key", e);
    }
  }

  /** A new EC P-256 key pair. */
  public static KeyPair newKey(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 unavailable", e);
    }
  }

  /** The verification key (tests forge tokens against it). */
  public ECPublicKey publicKey() {
    return publicKey;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A token for {@code node} granting exactly {@code capabilities}. */
  public SessionGrant mint(NodeIdentity node, List<String> capabilities) {
    Instant now = clock.instant();
    Instant exp = now.plus(lifetime);
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(node.id().value())
        .claim("workspace", node.workspace().value())
        .claim("capabilities", List.copyOf(capabilities))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(exp))
        .jwtID(HexFormat.of().formatHex(jti))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(JOSEObjectType.JWT).keyID(keyId).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a session token", e);
    }
    // JWT times have second precision: report what the token says.
    return new SessionGrant(jwt.serialize(), Instant.ofEpochSecond(now.getEpochSecond()),
        Instant.ofEpochSecond(exp.getEpochSecond()), capabilities);
  }

  /**
   * The claims of a token this hub minted and that is valid now.
   *
   * @throws SessionTokenException naming what is wrong
   */
  public SessionClaims verify(String token) {
    if (token == null || token.isBlank()) {
      throw new SessionTokenException("no session token");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token.trim());
    } catch (ParseException e) {
      throw new SessionTokenException("the session token is not a signed JWT", e);
    }
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
      throw new SessionTokenException("session token algorithm "
          + jwt.getHeader().getAlgorithm() + " is not accepted (ES256 only)");
    }
    if (!JOSEObjectType.JWT.equals(jwt.getHeader().getType())) {
      throw new SessionTokenException("session token header typ must be JWT");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new SessionTokenException("the session token's signature does not verify");
      }
    } catch (JOSEException e) {
      throw new SessionTokenException("the session token's signature cannot be verified", e);
    }
    JWTClaimsSet c;
    try {
      c = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new SessionTokenException("the session token's claims cannot be read", e);
    }
    if (!ISSUER.equals(c.getIssuer())) {
      throw new SessionTokenException("wrong session token issuer: " + c.getIssuer());
    }
    if (c.getAudience() == null || !c.getAudience().contains(AUDIENCE)) {
      throw new SessionTokenException("wrong session token audience: " + c.getAudience());
    }
    Instant now = clock.instant();
    if (c.getExpirationTime() == null
        || now.isAfter(c.getExpirationTime().toInstant().plusSeconds(SKEW_SECONDS))) {
      throw new SessionTokenException("the session token expired at "
          + (c.getExpirationTime() == null ? "(no exp)" : c.getExpirationTime().toInstant()));
    }
    if (c.getIssueTime() == null
        || c.getIssueTime().toInstant().isAfter(now.plusSeconds(SKEW_SECONDS))) {
      throw new SessionTokenException("the session token is not valid yet");
    }
    if (c.getNotBeforeTime() != null
        && c.getNotBeforeTime().toInstant().isAfter(now.plusSeconds(SKEW_SECONDS))) {
      throw new SessionTokenException("the session token is not valid yet");
    }
    try {
      String sub = c.getSubject();
      String workspace = c.getStringClaim("workspace");
      List<String> caps = c.getStringListClaim("capabilities");
      if (sub == null || workspace == null || c.getJWTID() == null) {
        throw new SessionTokenException("the session token lacks sub, workspace or jti");
      }
      return new SessionClaims(new NodeIdentity(new NodeId(sub), new WorkspaceId(workspace)),
          caps == null ? List.of() : caps, c.getExpirationTime().toInstant(), c.getJWTID());
    } catch (ParseException | IllegalArgumentException e) {
      throw new SessionTokenException("the session token's claims are malformed", e);
    }
  }
}
