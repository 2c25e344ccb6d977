package io.cortexhub.web.api.problem;

import io.cortexhub.hub.auth.BadCredentialsException;
import io.cortexhub.hub.auth.InvalidUserException;
import io.cortexhub.hub.auth.LoginThrottledException;
import io.cortexhub.hub.auth.TokenIssuingDisabledException;
import io.cortexhub.hub.auth.UnknownUserException;
import io.cortexhub.hub.auth.UserExistsException;
import io.cortexhub.web.api.auth.NotPermittedException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * The mappers of authentication and authorization failures: Payara's MP-JWT role filter throws
 * {@link NotAuthorizedException} (no token) and {@link ForbiddenException} (role missing); the
 * hub's auth API throws its own exceptions. Each is one {@link ProblemType}.
 */
public final class AuthExceptionMappers {

  /** {@code WWW-Authenticate} of a request without a token (RFC 6750 section 3). */
  public static final String BEARER_CHALLENGE = "Bearer realm=\"cortex-hub\"";

  private AuthExceptionMappers() {}

  /** Every mapper declared here, for registration with the JAX-RS application. */
  public static List<Class<?>> all() {
    return List.of(
        NotAuthorizedMapper.class,
        ForbiddenMapper.class,
        NotPermittedMapper.class,
        BadCredentialsMapper.class,
        LoginThrottledMapper.class,
        TokenIssuingDisabledMapper.class,
        UnknownUserMapper.class,
        UserExistsMapper.class,
        InvalidUserMapper.class);
  }

  /** No (valid) token for a resource that needs one → 401 unauthenticated with a challenge. */
  @Provider
  public static final class NotAuthorizedMapper extends ProblemMapper<NotAuthorizedException> {
    @Override
    protected Problem problemFor(NotAuthorizedException exception) {
      return ProblemType.UNAUTHENTICATED.problem(
          "this resource needs a bearer token (POST /api/v1/auth/token gives one)");
    }

    @Override
    protected Response decorate(NotAuthorizedException exception, Response response) {
      return Response.fromResponse(response)
          .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE).build();
    }
  }

  /** The token's roles do not include one this resource admits → 403 forbidden. */
  @Provider
  public static final class ForbiddenMapper extends ProblemMapper<ForbiddenException> {
    @Override
    protected Problem problemFor(ForbiddenException exception) {
      return ProblemType.FORBIDDEN.problem("the caller's roles do not allow this operation");
    }
  }

  /** {@link NotPermittedException} (workspace or global scope) → 403 forbidden with its reason. */
  @Provider
  public static final class NotPermittedMapper extends ProblemMapper<NotPermittedException> {
    @Override
    protected Problem problemFor(NotPermittedException exception) {
      return ProblemType.FORBIDDEN.problem(exception.getMessage());
    }
  }

  /** {@link BadCredentialsException} → 401 invalid-credentials. */
  @Provider
  public static final class BadCredentialsMapper extends ProblemMapper<BadCredentialsException> {
    @Override
    protected Problem problemFor(BadCredentialsException exception) {
      return ProblemType.INVALID_CREDENTIALS.problem(exception.getMessage());
    }
  }

  /** {@link LoginThrottledException} → 429 too-many-attempts with {@code Retry-After}. */
  @Provider
  public static final class LoginThrottledMapper extends ProblemMapper<LoginThrottledException> {
    @Override
    protected Problem problemFor(LoginThrottledException exception) {
      return ProblemType.TOO_MANY_ATTEMPTS.problem(exception.getMessage());
    }

    @Override
    protected Response decorate(LoginThrottledException exception, Response response) {
      long seconds = Math.max(1, exception.retryAfter().toSeconds()
          + (exception.retryAfter().toMillisPart() > 0 ? 1 : 0));
      return Response.fromResponse(response)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).build();
    }
  }

  /** {@link TokenIssuingDisabledException} → 409 token-issuing-disabled. */
  @Provider
  public static final class TokenIssuingDisabledMapper
      extends ProblemMapper<TokenIssuingDisabledException> {
    @Override
    protected Problem problemFor(TokenIssuingDisabledException exception) {
      return ProblemType.TOKEN_ISSUING_DISABLED.problem(exception.getMessage());
    }
  }

  /** {@link UnknownUserException} → 404 unknown-user. */
  @Provider
  public static final class UnknownUserMapper extends ProblemMapper<UnknownUserException> {
    @Override
    protected Problem problemFor(UnknownUserException exception) {
      return ProblemType.UNKNOWN_USER.problem(exception.getMessage());
    }
  }

  /** {@link UserExistsException} → 409 user-exists. */
  @Provider
  public static final class UserExistsMapper extends ProblemMapper<UserExistsException> {
    @Override
    protected Problem problemFor(UserExistsException exception) {
      return ProblemType.USER_EXISTS.problem(exception.getMessage());
    }
  }

  /** {@link InvalidUserException} → 400 invalid-request. */
  @Provider
  public static final class InvalidUserMapper extends ProblemMapper<InvalidUserException> {
    @Override
    protected Problem problemFor(InvalidUserException exception) {
      return ProblemType.INVALID_REQUEST.problem(exception.getMessage());
    }
  }
}
