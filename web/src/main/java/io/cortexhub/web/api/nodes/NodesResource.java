package io.cortexhub.web.api.nodes;

import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/nodes}: the nodes the hub knows, read from the registry. */
@Path("nodes")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "Agent nodes connected to (or known by) this hub")
public class NodesResource {

  private NodeDirectory directory;

  /** For CDI's client proxy only. */
  protected NodesResource() {}

  @Inject
  public NodesResource(NodeDirectory directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @GET
  @Operation(summary = "List nodes", description = "All known nodes, ONLINE first, then by name.")
  public List<NodeJson> list() {
    return directory.list().stream().map(NodeJson::of).toList();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Get one node")
  @APIResponse(responseCode = "200", description = "The node")
  @APIResponse(responseCode = "404", description = "No node has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public NodeJson get(@PathParam("id") String id) {
    NodeId nodeId = NodeIds.parse(id);
    return directory.find(nodeId).map(NodeJson::of)
        .orElseThrow(() -> new UnknownNodeException(nodeId));
  }
}
