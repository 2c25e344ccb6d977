package io.cortexhub.web.api.auth;

import io.cortexhub.hub.auth.BearerTokens;
import io.cortexhub.hub.auth.IssuedToken;
import io.cortexhub.hub.auth.TokenIssuingDisabledException;
import io.cortexhub.hub.auth.UserAuthentication;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/auth}: get a user token with a local user's password, see who a token says you
 * are, and the public key that verifies hub-issued tokens. Thread-safe.
 */
@Path("auth")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "User tokens for this API")
public class AuthResource {

  private UserAuthentication users;
  private BearerTokens tokens;

  /** For CDI's client proxy only. */
  protected AuthResource() {}

  @Inject
  public AuthResource(UserAuthentication users, BearerTokens tokens) {
    this.users = Objects.requireNonNull(users, "users");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @POST
  @Path("token")
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Get a user token",
      description = "Checks a local user's password and answers a short-lived RS256 JWT to send"
          + " as `Authorization: Bearer <access_token>`. Repeated failures for a user name or"
          + " from an address are answered 429 for a growing while.")
  @APIResponse(responseCode = "200", description = "{access_token, token_type, expires_in}")
  @APIResponse(responseCode = "401", description = "Wrong user name or password",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "429", description = "Too many failed attempts; see Retry-After",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "409", description = "The hub trusts an external issuer",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response token(TokenRequestJson body, @Context HttpServletRequest request) {
    if (body == null || body.username() == null || body.password() == null) {
      throw new InvalidRequestException("a JSON body {\"username\", \"password\"} is required");
    }
    String address = request == null ? "unknown" : request.getRemoteAddr();
    IssuedToken token = users.issueToken(body.username(), body.password(), address);
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok(TokenJson.of(token)).cacheControl(noStore).header("Pragma", "no-cache")
        .build();
  }

  @GET
  @Path("me")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
  @Operation(summary = "Who the token says the caller is")
  public CallerJson me(@Context SecurityContext security) {
    return CallerJson.of(Caller.of(security));
  }

  @GET
  @Path("jwks")
  @PermitAll
  @Operation(summary = "Public key of hub-issued tokens (JWK set)",
      description = "For services that verify the hub's user tokens themselves.")
  @APIResponse(responseCode = "409", description = "The hub trusts an external issuer",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response jwks() {
    return tokens.publicJwks()
        .map(jwks -> Response.ok(jwks, "application/jwk-set+json").build())
        .orElseThrow(() -> new TokenIssuingDisabledException(
            "this hub issues no tokens; the external issuer publishes its keys"));
  }
}
