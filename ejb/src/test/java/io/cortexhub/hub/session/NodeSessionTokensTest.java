package io.cortexhub.hub.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a node session token can be wrong is refused, with a reason. */
class NodeSessionTokensTest {
  private static final NodeIdentity NODE = new NodeIdentity(new NodeId("n-aaaaaaaaaaaaaaaaaaaa"),
      WorkspaceId.DEFAULT);
  private final FakeClock clock = new FakeClock();
  private final SecureRandom random = new SecureRandom();
  private final KeyPair keys = NodeSessionTokens.newKey(random);
  private final NodeSessionTokens tokens = new NodeSessionTokens(clock, random,
      Duration.ofMinutes(15), keys);

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer("cortex-hub").audience("cortex-node")
        .subject(NODE.id().value()).claim("workspace", "default")
        .claim("capabilities", List.of("echo")).issueTime(Date.from(clock.instant()))
        .expirationTime(Date.from(clock.instant().plusSeconds(900))).jwtID("j1");
  }

  private String signed(JWTClaimsSet c) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(JOSEObjectType.JWT).build(), c);
    jwt.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
    return jwt.serialize();
  }

  private void refused(String token, String reason) {
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(SessionTokenException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void mintedToken_verifies_withItsClaims() throws Exception {
    SessionGrant g = tokens.mint(NODE, List.of("echo", "shell"));
    SessionClaims c = tokens.verify(g.token());

    assertThat(c.identity()).isEqualTo(NODE);
    assertThat(c.capabilities()).containsExactly("echo", "shell");
    assertThat(c.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(g.refreshAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    SignedJWT parsed = SignedJWT.parse(g.token());
    assertThat(parsed.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    assertThat(parsed.getJWTClaimsSet().getAudience()).containsExactly("cortex-node");
    assertThat(signed(claims().build())).satisfies(t -> tokens.verify(t));
  }

  @Test
  void missingToken_isRefused() {
    refused(null, "no session token");
    refused(" ", "no session token");
  }

  @Test
  void expiredToken_isRefused_afterTheSkew() {
    String t = tokens.mint(NODE, List.of()).token();
    clock.advance(Duration.ofMinutes(15).plusSeconds(30));
    tokens.verify(t);
    clock.advance(Duration.ofSeconds(1));
    refused(t, "expired");
  }

  @Test
  void notYetValidToken_isRefused() throws Exception {
    refused(signed(claims().issueTime(Date.from(clock.instant().plusSeconds(120))).build()),
        "not valid yet");
    refused(signed(claims().notBeforeTime(Date.from(clock.instant().plusSeconds(120))).build()),
        "not valid yet");
  }

  @Test
  void wrongIssuerOrAudience_isRefused() throws Exception {
    refused(signed(claims().issuer("someone-else").build()), "wrong session token issuer");
    refused(signed(claims().audience("cortex-api").build()), "wrong session token audience");
  }

  @Test
  void algNone_isRefused() {
    refused(new PlainJWT(claims().build()).serialize(), "not a signed JWT");
  }

  @Test
  void hs256SignedWithThePublicKey_isRefused() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(JOSEObjectType.JWT).build(), claims().build());
    jwt.sign(new MACSigner(tokens.publicKey().getEncoded()));
    refused(jwt.serialize(), "algorithm HS256 is not accepted");
  }

  @Test
  void tamperedPayload_isRefused() {
    String[] parts = tokens.mint(NODE, List.of("echo")).token().split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"echo\"", "\"shell\"");
    String forged = parts[0] + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(
            payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    refused(forged, "signature does not verify");
  }

  @Test
  void tokenOfAnotherKey_isRefused() {
    NodeSessionTokens other = new NodeSessionTokens(clock, random, Duration.ofMinutes(15));
    refused(other.mint(NODE, List.of()).token(), "signature does not verify");
  }

  @Test
  void wrongTypOrMissingClaims_areRefused() throws Exception {
    SignedJWT noTyp = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).build(),
        claims().build());
    noTyp.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
    refused(noTyp.serialize(), "typ must be JWT");
    refused(signed(claims().subject(null).build()), "lacks sub");
  }
}
