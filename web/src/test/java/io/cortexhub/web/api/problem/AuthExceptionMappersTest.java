package io.cortexhub.web.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.auth.BadCredentialsException;
import io.cortexhub.hub.auth.LoginThrottledException;
import io.cortexhub.hub.auth.TokenIssuingDisabledException;
import io.cortexhub.hub.auth.UnknownUserException;
import io.cortexhub.hub.auth.UserExistsException;
import io.cortexhub.web.testing.Problems;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthExceptionMappersTest {

  @Test
  void noToken_is401Unauthenticated_withABearerChallenge() {
    Response response = new AuthExceptionMappers.NotAuthorizedMapper().toResponse(
        new NotAuthorizedException("Authentication not done", Response.status(401).build()));

    assertProblem(response, 401, "unauthenticated");
    assertThat(response.getHeaderString("WWW-Authenticate")).startsWith("Bearer");
    assertThat(Problems.body(response).getString("detail")).contains("/api/v1/auth/token");
  }

  @Test
  void missingRole_is403Forbidden() {
    assertProblem(new AuthExceptionMappers.ForbiddenMapper().toResponse(
        new ForbiddenException("Caller not in requested role")), 403, "forbidden");
  }

  @Test
  void wrongPassword_is401InvalidCredentials() {
    assertProblem(new AuthExceptionMappers.BadCredentialsMapper().toResponse(
        new BadCredentialsException("wrong user name or password")), 401, "invalid-credentials");
  }

  @Test
  void throttledLogin_is429_withRetryAfterRoundedUp() {
    Response response = new AuthExceptionMappers.LoginThrottledMapper().toResponse(
        new LoginThrottledException("too many failed logins", Duration.ofMillis(29_100)));

    assertProblem(response, 429, "too-many-attempts");
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("30");
  }

  @Test
  void userAndModeErrors_haveTheirOwnTypes() {
    assertProblem(new AuthExceptionMappers.UnknownUserMapper().toResponse(
        new UnknownUserException("no user named 'x'")), 404, "unknown-user");
    assertProblem(new AuthExceptionMappers.UserExistsMapper().toResponse(
        new UserExistsException("taken")), 409, "user-exists");
    assertProblem(new AuthExceptionMappers.TokenIssuingDisabledMapper().toResponse(
        new TokenIssuingDisabledException("external")), 409, "token-issuing-disabled");
  }

  private static void assertProblem(Response response, int status, String type) {
    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE_JSON);
    assertThat(Problems.body(response).getString("type"))
        .isEqualTo("urn:cortexhub:problem:" + type);
  }
}
