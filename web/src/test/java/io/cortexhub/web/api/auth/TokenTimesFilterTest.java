package io.cortexhub.web.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.web.testing.FakeSecurity;
import io.cortexhub.web.testing.LocalAuth;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Problems;
import io.cortexhub.web.testing.Views;
import jakarta.json.Json;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenTimesFilterTest {

  private final MutableClock clock = new MutableClock(Views.T0);
  private final TokenTimesFilter filter = new TokenTimesFilter(new LocalAuth(clock).tokens());
  private final long now = Views.T0.getEpochSecond();

  @Test
  void tokenNotValidYet_isRefusedWith401InvalidToken() {
    Request request = new Request(FakeSecurity.token("alice", Map.of(
        "exp", now + 900, "iat", now, "nbf", now + 600, "groups", List.of("admin"))));

    filter.filter(request.context());

    Response aborted = request.aborted.get();
    assertThat(aborted.getStatus()).isEqualTo(401);
    assertThat(Problems.body(aborted).getString("type"))
        .isEqualTo("urn:cortexhub:problem:invalid-token");
    assertThat(Problems.body(aborted).getString("detail")).contains("not valid yet");
    assertThat(aborted.getHeaderString("WWW-Authenticate")).contains("invalid_token");
  }

  @Test
  void tokenIssuedInTheFuture_isRefused() {
    Request request = new Request(FakeSecurity.token("alice", Map.of(
        "exp", now + 1900, "iat", Json.createValue(now + 1000))));

    filter.filter(request.context());

    assertThat(request.aborted.get().getStatus()).isEqualTo(401);
  }

  @Test
  void validToken_andNoToken_passUntouched() {
    Request valid = new Request(FakeSecurity.token("alice", Map.of(
        "exp", now + 900, "iat", now, "nbf", now)));
    Request anonymous = new Request(FakeSecurity.anonymous());

    filter.filter(valid.context());
    filter.filter(anonymous.context());

    assertThat(valid.aborted.get()).isNull();
    assertThat(anonymous.aborted.get()).isNull();
  }

  /** The few parts of a request context the filter uses; anything else fails loudly. */
  private static final class Request {
    final AtomicReference<Response> aborted = new AtomicReference<>();
    private final SecurityContext security;

    Request(SecurityContext security) {
      this.security = security;
    }

    ContainerRequestContext context() {
      UriInfo uri = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {UriInfo.class}, (p, m, a) -> switch (m.getName()) {
            case "getRequestUri" -> URI.create("http://hub/api/v1/nodes");
            default -> throw new UnsupportedOperationException(m.getName());
          });
      return (ContainerRequestContext) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
            case "getSecurityContext" -> security;
            case "getUriInfo" -> uri;
            case "getMethod" -> "GET";
            case "abortWith" -> {
              aborted.set((Response) a[0]);
              yield null;
            }
            default -> throw new UnsupportedOperationException(m.getName());
          });
    }
  }
}
