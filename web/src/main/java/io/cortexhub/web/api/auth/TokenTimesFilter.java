package io.cortexhub.web.api.auth;

import io.cortexhub.hub.auth.BearerTokens;
import io.cortexhub.hub.auth.TokenRefusedException;
import io.cortexhub.web.api.problem.ProblemType;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a token Payara's MP-JWT accepted but whose times are wrong: {@code nbf} in the future
 * (not valid yet) or {@code iat} in the future, which Payara does not check. Runs first among
 * request filters ({@link Priorities#AUTHENTICATION}), before the role checks; answers 401
 * invalid-token and logs the reason. Requests without a token pass untouched (the role filter
 * refuses them where a role is needed). Thread-safe.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION)
public class TokenTimesFilter implements ContainerRequestFilter {

  private static final Logger LOG = Logger.getLogger(TokenTimesFilter.class.getName());

  private BearerTokens tokens;

  /** For CDI's client proxy only. */
  protected TokenTimesFilter() {}

  @Inject
  public TokenTimesFilter(BearerTokens tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken jwt)) {
      return;
    }
    try {
      tokens.checkTimes(seconds(jwt.getClaim("exp")), seconds(jwt.getClaim("nbf")),
          seconds(jwt.getClaim("iat")));
    } catch (TokenRefusedException e) {
      String path = request.getUriInfo().getRequestUri().getRawPath();
      LOG.warning(() -> "Refused the bearer token of '" + jwt.getName() + "' for "
          + request.getMethod() + " " + path + ": " + e.reason() + " (" + e.getMessage() + ")");
      request.abortWith(jakarta.ws.rs.core.Response.fromResponse(
              ProblemType.INVALID_TOKEN.problem(e.getMessage()).at(path).toResponse())
          .header(HttpHeaders.WWW_AUTHENTICATE, BearerRefusalServlet.challenge(e.getMessage()))
          .build());
    }
  }

  /** A time claim as seconds: Payara gives numbers as Long or JSON-P numbers. */
  static OptionalLong seconds(Object claim) {
    Object value = claim instanceof Optional<?> o ? o.orElse(null) : claim;
    if (value instanceof Number n) {
      return OptionalLong.of(n.longValue());
    }
    if (value instanceof JsonNumber n) {
      return OptionalLong.of(n.longValue());
    }
    return OptionalLong.empty();
  }
}
