package io.cortexhub.hub.auth.token;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cortexhub.hub.auth.TokenRefusal;
import io.cortexhub.hub.auth.TokenRefusedException;
import io.cortexhub.hub.auth.Workspaces;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Verifies a user token completely and says exactly why one is refused.
 *
 * <p>Payara's MP-JWT is what admits requests; this verifier applies the same rules and more
 * ({@code nbf}, {@code iat} in the future, claim shapes), and it names the reason. The REST layer
 * uses it to explain a refusal in the problem details and the log, and the tests use it to pin
 * down each refusal without a container. Order: header (alg none, typ, algorithm), signature,
 * then claims, so no claim of an unverified token is ever trusted. Immutable and thread-safe.
 */
public final class UserTokenVerifier {

  private final Optional<PublicKey> key;
  private final String issuer;
  private final String audience;
  private final TokenTimes times;

  /**
   * @param key the trusted public key (EC P-256 for ES256, RSA for RS256); empty when it is not
   *     known here (external issuer), in which case only {@link #explainRefusal} may be used
   */
  public UserTokenVerifier(
      Optional<PublicKey> key, String issuer, String audience, TokenTimes times) {
    this.key = Objects.requireNonNull(key, "key");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.times = Objects.requireNonNull(times, "times");
  }

  /**
   * The token's holder, if every check passes.
   *
   * @throws TokenRefusedException naming the first check that failed
   * @throws IllegalStateException when this verifier has no key
   */
  public VerifiedToken verify(String token) {
    PublicKey trusted = key.orElseThrow(
        () -> new IllegalStateException("no trusted key: this verifier only explains refusals"));
    return check(token, Optional.of(trusted));
  }

  /**
   * Why this token would be refused, running every check possible here (without a key, all but
   * the signature); empty if none fails.
   */
  public Optional<TokenRefusedException> explainRefusal(String token) {
    try {
      check(token, key);
      return Optional.empty();
    } catch (TokenRefusedException e) {
      return Optional.of(e);
    }
  }

  private VerifiedToken check(String token, Optional<PublicKey> trusted) {
    if (token == null || token.isBlank()) {
      throw new TokenRefusedException(TokenRefusal.MISSING, "");
    }
    String[] parts = token.trim().split("\\.", -1);
    if (parts.length != 3) {
      throw new TokenRefusedException(TokenRefusal.MALFORMED,
          parts.length == 5 ? "encrypted tokens are not accepted" : parts.length + " parts");
    }
    Header header = header(parts[0]);
    if (Algorithm.NONE.equals(header.getAlgorithm())) {
      throw new TokenRefusedException(TokenRefusal.UNSIGNED, "");
    }
    if (!JOSEObjectType.JWT.equals(header.getType())) {
      throw new TokenRefusedException(TokenRefusal.BAD_TYPE, String.valueOf(header.getType()));
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token.trim());
    } catch (ParseException e) {
      throw new TokenRefusedException(TokenRefusal.MALFORMED, e.getMessage());
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!JWSAlgorithm.ES256.equals(alg) && !JWSAlgorithm.RS256.equals(alg)) {
      throw new TokenRefusedException(TokenRefusal.ALGORITHM_NOT_ACCEPTED, alg.getName());
    }
    if (trusted.isPresent()) {
      verifySignature(jwt, alg, trusted.get());
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenRefusedException(TokenRefusal.MALFORMED, "claims: " + e.getMessage());
    }
    return checkClaims(claims);
  }

  private static Header header(String encoded) {
    try {
      return Header.parse(new Base64URL(encoded));
    } catch (ParseException e) {
      throw new TokenRefusedException(TokenRefusal.MALFORMED, "header: " + e.getMessage());
    }
  }

  private static void verifySignature(SignedJWT jwt, JWSAlgorithm alg, PublicKey trusted) {
    boolean valid;
    try {
      JWSVerifier verifier;
      if (JWSAlgorithm.ES256.equals(alg) && trusted instanceof ECPublicKey ec) {
        verifier = new ECDSAVerifier(ec);
      } else if (JWSAlgorithm.RS256.equals(alg) && trusted instanceof RSAPublicKey rsa) {
        verifier = new RSASSAVerifier(rsa);
      } else {
        throw new TokenRefusedException(TokenRefusal.ALGORITHM_NOT_ACCEPTED,
            alg.getName() + " does not match the trusted " + trusted.getAlgorithm() + " key");
      }
      valid = jwt.verify(verifier);
    } catch (JOSEException e) {
      throw new TokenRefusedException(TokenRefusal.BAD_SIGNATURE, e.getMessage());
    }
    if (!valid) {
      throw new TokenRefusedException(TokenRefusal.BAD_SIGNATURE, "");
    }
  }

  private VerifiedToken checkClaims(JWTClaimsSet claims) {
    if (!issuer.equals(claims.getIssuer())) {
      throw new TokenRefusedException(TokenRefusal.WRONG_ISSUER, String.valueOf(
          claims.getIssuer()));
    }
    List<String> audiences = claims.getAudience();
    if (audiences == null || !audiences.contains(audience)) {
      throw new TokenRefusedException(TokenRefusal.WRONG_AUDIENCE, String.valueOf(audiences));
    }
    times.check(seconds(claims.getExpirationTime()), seconds(claims.getNotBeforeTime()),
        seconds(claims.getIssueTime()));
    String subject = firstText(claims, "upn", "preferred_username", "sub")
        .orElseThrow(() -> new TokenRefusedException(TokenRefusal.MISSING_CLAIM, "sub"));
    if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
      throw new TokenRefusedException(TokenRefusal.MISSING_CLAIM, "jti");
    }
    Set<String> groups = stringSet(claims, "groups");
    Set<String> workspaces = stringSet(claims, UserTokenIssuer.WORKSPACES_CLAIM);
    if (!Workspaces.validClaim(workspaces)) {
      throw new TokenRefusedException(TokenRefusal.BAD_CLAIM, "workspaces " + workspaces);
    }
    return new VerifiedToken(subject, groups, workspaces,
        claims.getExpirationTime().toInstant(), claims.getJWTID());
  }

  private static OptionalLong seconds(Date date) {
    return date == null ? OptionalLong.empty() : OptionalLong.of(date.getTime() / 1000);
  }

  private static Optional<String> firstText(JWTClaimsSet claims, String... names) {
    for (String name : names) {
      if (claims.getClaim(name) instanceof String s && !s.isBlank()) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static Set<String> stringSet(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new TokenRefusedException(TokenRefusal.BAD_CLAIM, name + " must be an array");
    }
    Set<String> out = new HashSet<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw new TokenRefusedException(TokenRefusal.BAD_CLAIM, name + " must hold strings");
      }
      out.add(s);
    }
    return out;
  }
}
