package io.cortexhub.web.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.auth.BadCredentialsException;
import io.cortexhub.hub.auth.LoginThrottledException;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.testing.FakeSecurity;
import io.cortexhub.web.testing.LocalAuth;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthResourceTest {

  private final MutableClock clock = new MutableClock(Views.T0);
  private final LocalAuth auth = new LocalAuth(clock);
  private final AuthResource resource = new AuthResource(auth.users(), auth.tokens());

  @Test
  void token_withTheRightPassword_answersABearerTokenThatIsNeverCached() {
    Response response =
        resource.token(new TokenRequestJson("admin", LocalAuth.ADMIN_PASSWORD), null);

    TokenJson token = (TokenJson) response.getEntity();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(token.tokenType()).isEqualTo("Bearer");
    assertThat(token.expiresIn()).isEqualTo(900);
    assertThat(auth.tokens().explainRefusal(token.accessToken())).isEmpty();
    assertThat(response.getHeaderString("Cache-Control")).contains("no-store");
  }

  @Test
  void token_withAWrongPassword_isRefused_thenThrottled() {
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> resource.token(new TokenRequestJson("admin", "wrong-guess"), null))
          .isInstanceOf(BadCredentialsException.class);
    }

    assertThatThrownBy(() -> resource.token(
        new TokenRequestJson("admin", LocalAuth.ADMIN_PASSWORD), null))
        .isInstanceOf(LoginThrottledException.class);
  }

  @Test
  void token_withoutCredentials_isAnInvalidRequest() {
    assertThatThrownBy(() -> resource.token(null, null))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.token(new TokenRequestJson("admin", null), null))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void me_answersWhatTheTokenSays() {
    CallerJson me = resource.me(FakeSecurity.user("vera", Set.of("viewer"), Set.of("b", "a")));

    assertThat(me.name()).isEqualTo("vera");
    assertThat(me.roles()).containsExactly("viewer");
    assertThat(me.workspaces()).containsExactly("a", "b");
  }

  @Test
  void jwks_publishesThePublicKeyOnly() {
    Response response = resource.jwks();

    assertThat(response.getMediaType().toString()).isEqualTo("application/jwk-set+json");
    assertThat((String) response.getEntity()).contains(auth.key().keyId())
        .doesNotContain("\"d\"");
  }
}
