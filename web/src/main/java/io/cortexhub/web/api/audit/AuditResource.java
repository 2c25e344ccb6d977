package io.cortexhub.web.api.audit;

import io.cortexhub.hub.audit.NodeAuditService;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.api.nodes.NodeIds;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/audit}: evidence from the nodes' own audit logs. The log lives on the node; the hub
 * holds only the signed checkpoints the node sent, and fetches records on demand.
 */
@Path("audit")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Tag(name = "audit", description = "Node audit logs: signed checkpoints and per-task records")
public class AuditResource {
  /** Newline-delimited JSON: one audit record per line, exactly as the node's log holds it. */
  public static final String NDJSON = "application/x-ndjson";

  private NodeAuditService audit;
  private NodeDirectory nodes;
  private TaskService tasks;

  /** For CDI's client proxy only. */
  protected AuditResource() {}

  @Inject
  public AuditResource(NodeAuditService audit, NodeDirectory nodes, TaskService tasks) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
  }

  @GET
  @Path("nodes/{id}/checkpoints")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Signed checkpoints of a node's audit log",
      description = "Every Merkle tree head the node sent, by tree size. Feed this to"
          + " `cortex-node audit verify --checkpoints` to detect a truncated or rewritten log.")
  @APIResponse(responseCode = "404", description = "No node has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public List<CheckpointJson> checkpoints(@PathParam("id") String id,
      @Context SecurityContext security) {
    NodeId node = NodeIds.parse(id);
    if (nodes.find(node, Caller.of(security).scope()).isEmpty()) {
      throw new UnknownNodeException(node);
    }
    return audit.checkpoints(node).stream().map(CheckpointJson::of).toList();
  }

  @GET
  @Path("tasks/{id}")
  @Produces(NDJSON)
  @Operation(summary = "A task's audit records, fetched from its node",
      description = "Asks the node that ran the task for its audit records (received, verified,"
          + " consent, process start and exit, file changes...). 503 when the node is not"
          + " connected or does not answer in time.")
  @APIResponse(responseCode = "404", description = "No task has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "503", description = "The node cannot answer now",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public void taskRecords(@PathParam("id") String id, @Suspended AsyncResponse response,
      @Context SecurityContext security) {
    TaskId task = new TaskId(id);
    if (tasks.find(task, Caller.of(security).scope()).isEmpty()) {
      throw new UnknownTaskException(task);
    }
    // Resumed with the unwrapped cause, so the exception mappers see AuditUnavailableException
    // itself rather than a CompletionException around it.
    audit.taskRecords(task).whenComplete((lines, failure) -> {
      if (failure != null) {
        response.resume(failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure);
      } else {
        response.resume(String.join("\n", lines) + "\n");
      }
    });
  }
}
