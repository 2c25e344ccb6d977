package io.cortexhub.web.api.admin;

import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/workspaces}: the workspaces and the capabilities each grants its nodes. Admins
 * list the workspaces they see; creating one or changing its grants needs an admin of every
 * workspace ({@code "*"}), because a workspace admin must not widen their own nodes' powers.
 * Thread-safe.
 */
@Path("workspaces")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "workspaces", description = "Workspaces and their granted capabilities (admin)")
public class WorkspacesResource {

  private WorkspaceDirectory workspaces;

  /** For CDI's client proxy only. */
  protected WorkspacesResource() {}

  @Inject
  public WorkspacesResource(WorkspaceDirectory workspaces) {
    this.workspaces = Objects.requireNonNull(workspaces, "workspaces");
  }

  /**
   * A workspace.
   *
   * @param name its name
   * @param grantedCapabilities capability names, or {@code ["*"]} for all, sorted
   */
  public record WorkspaceJson(String name, List<String> grantedCapabilities) {
    static WorkspaceJson of(Workspace w) {
      return new WorkspaceJson(w.id().value(), w.grantedCapabilities().stream().sorted()
          .toList());
    }
  }

  /**
   * Body of {@code PUT /workspaces/{name}}.
   *
   * @param grantedCapabilities capability names, or {@code ["*"]} for all
   */
  public record GrantsJson(List<String> grantedCapabilities) {}

  @GET
  @Operation(summary = "List workspaces", description = "The caller's workspaces, by name.")
  public List<WorkspaceJson> list(@Context SecurityContext security) {
    Caller caller = Caller.of(security);
    return workspaces.list().stream().filter(w -> caller.sees(w.id().value()))
        .map(WorkspaceJson::of).toList();
  }

  @PUT
  @Path("{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a workspace or set its granted capabilities")
  @APIResponse(responseCode = "200", description = "The workspace as stored")
  @APIResponse(responseCode = "400", description = "Bad name or capability",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "403", description = "Needs an admin of every workspace",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public WorkspaceJson put(@PathParam("name") String name, GrantsJson body,
      @Context SecurityContext security) {
    Caller.of(security).requireAllWorkspaces("create or change workspaces");
    if (body == null || body.grantedCapabilities() == null) {
      throw new InvalidRequestException("a JSON body {\"grantedCapabilities\": [...]} is required");
    }
    Workspace workspace;
    try {
      workspace = new Workspace(new WorkspaceId(name), new HashSet<>(body.grantedCapabilities()));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
    return WorkspaceJson.of(workspaces.save(workspace));
  }
}
