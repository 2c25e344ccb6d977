package io.cortexhub.web.api.nodes;

import io.cortexhub.hub.enrollment.NodeRevocation;
import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/nodes}: the nodes the hub knows, read from the registry, and their revocation.
 * A caller sees only the nodes of the workspaces in their token; any other node answers 404, as if
 * it did not exist.
 */
@Path("nodes")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "Agent nodes connected to (or known by) this hub")
public class NodesResource {

  private NodeDirectory directory;
  private NodeRevocation revocation;

  /** For CDI's client proxy only. */
  protected NodesResource() {}

  @Inject
  public NodesResource(NodeDirectory directory, NodeRevocation revocation) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.revocation = Objects.requireNonNull(revocation, "revocation");
  }

  /**
   * Body of {@code POST /nodes/{id}/revoke}.
   *
   * @param reason why, for the record and the logs
   */
  public record RevokeJson(String reason) {}

  @GET
  @Operation(summary = "List nodes",
      description = "The nodes of the caller's workspaces, ONLINE first, then by name.")
  public List<NodeJson> list(@Context SecurityContext security) {
    return directory.list(Caller.of(security).scope()).stream().map(NodeJson::of).toList();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Get one node")
  @APIResponse(responseCode = "200", description = "The node")
  @APIResponse(responseCode = "404", description = "No node has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public NodeJson get(@PathParam("id") String id, @Context SecurityContext security) {
    NodeId nodeId = NodeIds.parse(id);
    return directory.find(nodeId, Caller.of(security).scope()).map(NodeJson::of)
        .orElseThrow(() -> new UnknownNodeException(nodeId));
  }

  @GET
  @Path("{id}/policy")
  @Operation(summary = "The node owner's local policy",
      description = "What the node last reported in its manifest: consent mode, the effective policy as YAML"
          + " and its SHA-256. Read-only: nothing the hub sends can change a node's policy.")
  @APIResponse(responseCode = "200", description = "The policy (its fields absent for an agent that reports none)")
  @APIResponse(responseCode = "404", description = "No node has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public NodeJson.PolicyJson policy(@PathParam("id") String id, @Context SecurityContext security) {
    NodeId nodeId = NodeIds.parse(id);
    return directory.find(nodeId, Caller.of(security).scope()).map(NodeJson.PolicyJson::of)
        .orElseThrow(() -> new UnknownNodeException(nodeId));
  }

  @POST
  @Path("{id}/revoke")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Revoke a node",
      description = "Closes the node's live stream at once and refuses its certificate from now"
          + " on. Permanent: the machine must enroll again with a new join token.")
  @APIResponse(responseCode = "204", description = "Revoked (also when it was already)")
  @APIResponse(responseCode = "404", description = "No node has this id in the caller's"
      + " workspaces", content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response revoke(@PathParam("id") String id, RevokeJson body,
      @Context SecurityContext security) {
    NodeId nodeId = NodeIds.parse(id);
    Caller caller = Caller.of(security);
    if (directory.find(nodeId, caller.scope()).isEmpty()) {
      throw new UnknownNodeException(nodeId);
    }
    String reason = body == null || body.reason() == null || body.reason().isBlank()
        ? "revoked by an admin" : body.reason();
    revocation.revoke(nodeId, caller.name(), reason);
    return Response.noContent().build();
  }
}
