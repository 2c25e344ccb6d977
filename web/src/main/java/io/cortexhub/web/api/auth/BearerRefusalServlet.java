package io.cortexhub.web.api.auth;

import io.cortexhub.hub.auth.BearerTokens;
import io.cortexhub.hub.auth.TokenRefusedException;
import io.cortexhub.web.api.problem.Problem;
import io.cortexhub.web.api.problem.ProblemType;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The body of a 401 that Payara answers itself: when MP-JWT refuses a bearer token, the request
 * never reaches JAX-RS; the container sends a bare 401 and {@code web.xml} routes it here. This
 * servlet answers the RFC 9457 problem the rest of the API uses, with the reason found by the
 * hub's own verifier ({@link BearerTokens#explainRefusal}), and logs it.
 *
 * <p>Mapped at {@link #PATH}; requested directly it answers the same 401. Thread-safe.
 */
@WebServlet(BearerRefusalServlet.PATH)
public class BearerRefusalServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Where {@code web.xml}'s error page for 401 points. */
  public static final String PATH = "/errors/unauthorized";

  private static final Logger LOG = Logger.getLogger(BearerRefusalServlet.class.getName());

  @Inject
  private transient BearerTokens tokens;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = Optional.ofNullable((String) request.getAttribute(
        RequestDispatcher.ERROR_REQUEST_URI)).orElse(request.getRequestURI());
    Optional<String> token = bearer(request.getHeader("Authorization"));
    String detail;
    if (token.isEmpty()) {
      detail = "this resource needs a bearer token (POST /api/v1/auth/token gives one)";
    } else {
      detail = tokens.explainRefusal(token.get()).map(TokenRefusedException::getMessage)
          .orElse("refused by the MP-JWT verifier");
      LOG.warning(() -> "Refused a bearer token for " + request.getMethod() + " " + path
          + " from " + request.getRemoteAddr() + ": " + detail);
    }
    Problem problem = (token.isEmpty() ? ProblemType.UNAUTHENTICATED : ProblemType.INVALID_TOKEN)
        .problem(detail).at(path);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate",
        token.isEmpty() ? "Bearer realm=\"cortex-hub\"" : challenge(detail));
    response.setHeader("Cache-Control", "no-store");
    // JSON is UTF-8 by definition (RFC 8259): no charset parameter, as the JAX-RS mappers answer.
    response.setContentType(Problem.MEDIA_TYPE);
    response.getOutputStream().write(problem.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** The RFC 6750 challenge for a refused token. */
  static String challenge(String detail) {
    return "Bearer realm=\"cortex-hub\", error=\"invalid_token\", error_description=\""
        + detail.replace("\\", "").replace("\"", "'") + "\"";
  }

  static Optional<String> bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
