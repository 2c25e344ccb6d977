package io.cortexhub.hub.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.cortexhub.hub.auth.IssuedToken;
import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.TokenRefusal;
import io.cortexhub.hub.auth.TokenRefusedException;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every refusal of the contract, against the hub's own verifier, plus the issuer's output. */
class UserTokenVerifierTest {

  private static final UserTokenKey KEY = UserTokenKey.generate();
  private static final UserTokenKey OTHER_KEY = UserTokenKey.generate();

  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final UserTokenVerifier verifier = new UserTokenVerifier(Optional.of(KEY.publicKey()),
      "cortex-hub", "cortex-api", new TokenTimes(Duration.ofSeconds(30), clock));

  private Tokens token() {
    return Tokens.valid(KEY, clock.instant());
  }

  @Test
  void issuedToken_verifies_withItsUserRolesAndWorkspaces() {
    UserTokenIssuer issuer =
        new UserTokenIssuer(KEY, "cortex-hub", "cortex-api", Duration.ofMinutes(15), clock);
    User bob = new User("bob", Set.of(Role.VIEWER, Role.OPERATOR), Set.of("team-a", "team-b"),
        clock.instant(), "admin");

    IssuedToken issued = issuer.issue(bob);
    VerifiedToken verified = verifier.verify(issued.token());

    assertThat(verified.subject()).isEqualTo("bob");
    assertThat(verified.groups()).containsExactlyInAnyOrder("viewer", "operator");
    assertThat(verified.workspaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(verified.expiresAt()).isEqualTo(issued.expiresAt());
    assertThat(verified.tokenId()).isNotBlank();
  }

  @Test
  void issuedToken_carriesTheHeaderAndClaimsPayaraRequires() throws Exception {
    UserTokenIssuer issuer =
        new UserTokenIssuer(KEY, "cortex-hub", "cortex-api", Duration.ofMinutes(15), clock);
    String token = issuer.issue(new User("bob", Set.of(Role.ADMIN), Set.of("*"), clock.instant(),
        "x")).token();

    var jwt = com.nimbusds.jwt.SignedJWT.parse(token);
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(KEY.keyId());
    assertThat(jwt.getJWTClaimsSet().getClaims()).containsKeys(
        "iss", "aud", "sub", "upn", "groups", "workspaces", "iat", "exp", "jti");
  }

  @Test
  void missingToken_isRefused() {
    assertRefused(null, TokenRefusal.MISSING);
    assertRefused(" ", TokenRefusal.MISSING);
  }

  @Test
  void garbage_isRefusedAsMalformed() {
    assertRefused("not-a-jwt", TokenRefusal.MALFORMED);
    assertRefused("a.b.c.d.e", TokenRefusal.MALFORMED);
    assertRefused("%%%.e30.sig", TokenRefusal.MALFORMED);
  }

  @Test
  void expiredToken_isRefused() {
    String token = token().issuedAt(clock.instant().minusSeconds(3600))
        .expiresAt(clock.instant().minusSeconds(60)).sign();

    assertRefused(token, TokenRefusal.EXPIRED);
  }

  @Test
  void tokenExpiredWithinTheSkew_isStillAccepted() {
    String token = token().expiresAt(clock.instant().minusSeconds(10)).sign();

    assertThat(verifier.verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void notYetValidToken_isRefused() {
    String token = token().notBefore(clock.instant().plusSeconds(300)).sign();

    assertRefused(token, TokenRefusal.NOT_YET_VALID);
  }

  @Test
  void tokenIssuedInTheFuture_isRefused() {
    String token = token().issuedAt(clock.instant().plusSeconds(300))
        .expiresAt(clock.instant().plusSeconds(1200)).sign();

    assertRefused(token, TokenRefusal.ISSUED_IN_THE_FUTURE);
  }

  @Test
  void wrongIssuer_isRefused() {
    assertRefused(token().issuer("someone-else").sign(), TokenRefusal.WRONG_ISSUER);
  }

  @Test
  void wrongAudience_isRefused() {
    assertRefused(token().audience("cortex-node").sign(), TokenRefusal.WRONG_AUDIENCE);
  }

  @Test
  void algNone_isRefused() {
    assertRefused(token().unsigned(), TokenRefusal.UNSIGNED);
  }

  @Test
  void es256TokenOfAForeignEcKey_isRefused_asNotTheTrustedKeysAlgorithm() throws Exception {
    ECKey foreign = new ECKeyGenerator(Curve.P_256).generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
        SignedJWT.parse(token().sign()).getJWTClaimsSet());
    jwt.sign(new ECDSASigner(foreign));

    assertRefused(jwt.serialize(), TokenRefusal.ALGORITHM_NOT_ACCEPTED);
  }

  @Test
  void hs256SignedWithThePublicKey_isRefused() {
    assertRefused(token().hs256WithThePublicKey(), TokenRefusal.ALGORITHM_NOT_ACCEPTED);
  }

  @Test
  void tamperedPayload_isRefused() {
    assertRefused(token().tampered(), TokenRefusal.BAD_SIGNATURE);
  }

  @Test
  void tokenSignedByAnotherKey_isRefused() {
    assertRefused(token().signWith(OTHER_KEY), TokenRefusal.BAD_SIGNATURE);
  }

  @Test
  void typOtherThanJwt_isRefused() {
    assertRefused(token().type(new JOSEObjectType("at+jwt")).sign(), TokenRefusal.BAD_TYPE);
  }

  @Test
  void workspacesClaimOfTheWrongShape_isRefused() {
    assertRefused(token().claim("workspaces", "default").sign(), TokenRefusal.BAD_CLAIM);
    assertRefused(token().claim("workspaces", List.of("Not Valid")).sign(),
        TokenRefusal.BAD_CLAIM);
  }

  @Test
  void explainRefusal_withoutAKey_checksAllButTheSignature() {
    UserTokenVerifier keyless = new UserTokenVerifier(Optional.empty(), "cortex-hub",
        "cortex-api", new TokenTimes(Duration.ZERO, clock));

    assertThat(keyless.explainRefusal(token().signWith(OTHER_KEY))).isEmpty();
    assertThat(keyless.explainRefusal(token().issuer("x").sign()))
        .hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(TokenRefusal.WRONG_ISSUER));
    assertThatThrownBy(() -> keyless.verify(token().sign()))
        .isInstanceOf(IllegalStateException.class);
  }

  private void assertRefused(String token, TokenRefusal reason) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(TokenRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageStartingWith(reason.description());
  }
}
