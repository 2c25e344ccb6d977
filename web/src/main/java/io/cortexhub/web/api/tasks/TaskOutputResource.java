package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.output.OutputSubscription;
import io.cortexhub.hub.output.TaskOutputService;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/tasks/{id}/output}: a task's output, live as Server-Sent Events or stored as JSON.
 *
 * <p>Both forms start at {@code ?from=SEQ} (inclusive, default 1). An SSE client that reconnects
 * sends {@code Last-Event-ID} (the last seq it saw), which takes precedence over {@code from}: the
 * stream resumes right after it, so nothing is lost or repeated.
 */
@Path("tasks/{id}/output")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Tag(name = "tasks")
public class TaskOutputResource {

  static final int DEFAULT_READ_LIMIT = 1_000;
  static final int MAX_READ_LIMIT = 10_000;

  private TaskService tasks;
  private TaskOutputService output;
  private SseKeepAlive keepAlive;

  /** For CDI's client proxy only. */
  protected TaskOutputResource() {}

  @Inject
  public TaskOutputResource(TaskService tasks, TaskOutputService output, SseKeepAlive keepAlive) {
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.output = Objects.requireNonNull(output, "output");
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
  }

  /**
   * Streams the output: one event per chunk ({@code id:} seq; event {@code stdout}, {@code stderr}
   * or {@code binary}; data the UTF-8 text, base64 for binary), then a {@code finished} event whose
   * data is the task as JSON, then the stream ends. While the task is silent a {@code : keep-alive}
   * comment is sent every {@code cortex.sse.keepalive} (default 15 s), which EventSource clients
   * ignore. Preferred for {@code Accept: *}{@code /*}.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Follow a task's output (Server-Sent Events)")
  @APIResponse(responseCode = "200", description = "The event stream",
      content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
  @APIResponse(responseCode = "400", description = "Bad from or Last-Event-ID",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "404", description = "No task has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public void follow(
      @PathParam("id") String id,
      @Parameter(description = "First seq to send (inclusive), default 1")
          @QueryParam("from") String from,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context SecurityContext security) {
    TaskId taskId = existing(id, security);
    long afterSeq = lastEventId != null
        ? Params.inRange("Last-Event-ID", lastEventId, 0, 0, Long.MAX_VALUE)
        : Params.inRange("from", from, 1, 1, Long.MAX_VALUE) - 1;
    SseOutputRelay relay = new SseOutputRelay(sink, sse, keepAlive);
    OutputSubscription subscription = output.subscribe(taskId, afterSeq, relay);
    relay.attach(subscription);
  }

  /** The stored chunks as JSON, for clients that do not speak SSE. */
  @GET
  @Produces("application/json;qs=0.5")
  @Operation(summary = "Read a task's stored output (JSON)")
  @APIResponse(responseCode = "200", description = "Chunks in seq order")
  @APIResponse(responseCode = "404", description = "No task has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public List<OutputChunkJson> read(
      @PathParam("id") String id,
      @Parameter(description = "First seq to return (inclusive), default 1")
          @QueryParam("from") String from,
      @Parameter(description = "Most chunks to return, 1 to " + MAX_READ_LIMIT + " (default "
          + DEFAULT_READ_LIMIT + ")") @QueryParam("limit") String limit,
      @Context SecurityContext security) {
    TaskId taskId = existing(id, security);
    long afterSeq = Params.inRange("from", from, 1, 1, Long.MAX_VALUE) - 1;
    int n = (int) Params.inRange("limit", limit, DEFAULT_READ_LIMIT, 1, MAX_READ_LIMIT);
    return output.read(taskId, afterSeq, n).stream().map(OutputChunkJson::of).toList();
  }

  /** The task's id if it exists in the caller's workspaces; any other task is unknown (404). */
  private TaskId existing(String id, SecurityContext security) {
    TaskId taskId = new TaskId(id);
    if (tasks.find(taskId, Caller.of(security).scope()).isEmpty()) {
      throw new UnknownTaskException(taskId);
    }
    return taskId;
  }
}
