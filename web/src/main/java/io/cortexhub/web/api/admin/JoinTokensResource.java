package io.cortexhub.web.api.admin;

import io.cortexhub.hub.enrollment.IssuedJoinToken;
import io.cortexhub.hub.enrollment.JoinTokenRequest;
import io.cortexhub.hub.enrollment.JoinTokens;
import io.cortexhub.hub.enrollment.UnknownJoinTokenException;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/join-tokens}: one-time, expiring tokens with which a node enrolls into a
 * workspace. An admin sees and manages only the tokens of the workspaces in their token; a token of
 * another workspace answers 404, as if it did not exist. Thread-safe.
 */
@Path("join-tokens")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "enrollment", description = "Join tokens for enrolling nodes (admin)")
public class JoinTokensResource {

  private JoinTokens tokens;

  /** For CDI's client proxy only. */
  protected JoinTokensResource() {}

  @Inject
  public JoinTokensResource(JoinTokens tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a join token",
      description = "Answers the secret once; the hub keeps only its hash. Give it to `cortex-node"
          + " enroll --token` together with the hub CA's fingerprint.")
  @APIResponse(responseCode = "201", description = "{tokenId, token, expiresAt, workspace}")
  @APIResponse(responseCode = "400", description = "ttl, uses or a label out of range",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "403", description = "The workspace is not the caller's",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response create(JoinTokenRequestJson body, @Context SecurityContext security) {
    JoinTokenRequestJson b = body == null ? new JoinTokenRequestJson(null, null, null, null) : body;
    Caller caller = Caller.of(security);
    if (b.ttlSeconds() != null && b.ttlSeconds() <= 0) {
      throw new InvalidRequestException("ttlSeconds must be positive");
    }
    if (b.uses() != null && b.uses() <= 0) {
      throw new InvalidRequestException("uses must be positive");
    }
    IssuedJoinToken issued = tokens.create(new JoinTokenRequest(
        caller.workspaceFor(b.workspace()), b.labels(),
        b.ttlSeconds() == null ? null : Duration.ofSeconds(b.ttlSeconds()),
        b.uses() == null ? 0 : b.uses(), caller.name()));
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.created(URI.create("join-tokens/" + issued.tokenId()))
        .entity(IssuedJoinTokenJson.of(issued)).cacheControl(noStore).build();
  }

  @GET
  @Operation(summary = "List join tokens",
      description = "The tokens of the caller's workspaces, newest first, used and expired too;"
          + " never their secrets.")
  public List<JoinTokenJson> list(@Context SecurityContext security) {
    return tokens.list(Caller.of(security).scope()).stream().map(JoinTokenJson::of).toList();
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Revoke a join token", description = "No node can enroll with it any more.")
  @APIResponse(responseCode = "204", description = "Revoked (also when it was already)")
  @APIResponse(responseCode = "404", description = "No such token in the caller's workspaces",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response revoke(@PathParam("id") String id, @Context SecurityContext security) {
    boolean visible = tokens.list(Caller.of(security).scope()).stream()
        .anyMatch(t -> t.tokenId().equals(id));
    if (!visible) {
      throw new UnknownJoinTokenException(id);
    }
    tokens.revoke(id);
    return Response.noContent().build();
  }
}
