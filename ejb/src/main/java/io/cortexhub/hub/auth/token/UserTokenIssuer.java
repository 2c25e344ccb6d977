package io.cortexhub.hub.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cortexhub.hub.auth.IssuedToken;
import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs user tokens for the REST API (RS256, header {@code typ: JWT} and {@code kid}).
 *
 * <p>Claims, as Payara's MP-JWT requires and the hub's resources read them: {@code iss}, {@code
 * aud}, {@code sub} and {@code upn} (the user name), {@code groups} (role names), {@code
 * workspaces} (names or {@code "*"}), {@code iat}, {@code exp}, {@code jti}. Thread-safe.
 */
public final class UserTokenIssuer {

  /** Claim carrying the workspaces a token's holder may see. */
  public static final String WORKSPACES_CLAIM = "workspaces";

  private final UserTokenKey key;
  private final RSASSASigner signer;
  private final String issuer;
  private final String audience;
  private final Duration lifetime;
  private final Clock clock;

  public UserTokenIssuer(
      UserTokenKey key, String issuer, String audience, Duration lifetime, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.signer = new RSASSASigner(key.jwk());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with this key", e);
    }
  }

  /** A fresh token for {@code user}, valid from now for the configured lifetime. */
  public IssuedToken issue(User user) {
    // Whole seconds: JWT times are seconds, and expires_in must match exp exactly.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expires = now.plus(lifetime);
    List<String> groups = user.roles().stream().map(Role::id).sorted().toList();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(audience)
        .subject(user.username())
        .claim("upn", user.username())
        .claim("groups", groups)
        .claim(WORKSPACES_CLAIM, user.workspaces().stream().sorted().toList())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .jwtID(UUID.randomUUID().toString())
        .build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(JOSEObjectType.JWT)
        .keyID(key.keyId())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a user token", e);
    }
    return new IssuedToken(jwt.serialize(), expires, lifetime);
  }
}
