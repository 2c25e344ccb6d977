package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.Submission;
import io.cortexhub.hub.dispatch.SubmitOutcome;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.NotPermittedException;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.InvalidRequestException;
import jakarta.annotation.security.RolesAllowed;
import io.cortexhub.web.api.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/tasks}: submit, list, read and cancel tasks. Output lives in {@link
 * TaskOutputResource}.
 *
 * <p>Application-scoped: it holds nothing per request, and building a request-scoped instance (with
 * a fresh EJB proxy for its {@link TaskService}) cost about a sixth of the hub's CPU per submit in
 * the benchmark profile. Thread-safe.
 */
@Path("tasks")
@ApplicationScoped
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tasks", description = "Tasks run on nodes")
public class TasksResource {

  /** Header carrying the idempotency key (IETF draft "The Idempotency-Key HTTP Header Field"). */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** W3C Trace Context header. */
  public static final String TRACEPARENT = "traceparent";

  /** Most items one batch submit may carry. */
  public static final int MAX_BATCH = 500;
  static final int DEFAULT_LIST_LIMIT = 50;
  static final int MAX_LIST_LIMIT = 500;

  private TaskService tasks;

  /** For CDI's client proxy only. */
  protected TasksResource() {}

  @Inject
  public TasksResource(TaskService tasks) {
    this.tasks = Objects.requireNonNull(tasks, "tasks");
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @Operation(summary = "Submit a task",
      description = "Stores the task and dispatches it to the named node or to the least-loaded"
          + " ONLINE node matching the selector. A retry with the same idempotency key returns the"
          + " task created by the first attempt with 200 instead of 201.")
  @APIResponse(responseCode = "201", description = "Created; Location names the task")
  @APIResponse(responseCode = "200", description = "Idempotent retry: the existing task")
  @APIResponse(responseCode = "400", description = "Malformed or invalid request",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "404", description = "Targeted at an unknown node",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response submit(
      @Valid SubmitTaskJson body,
      @Parameter(description = "Same as idempotencyKey in the body")
          @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      @HeaderParam(TRACEPARENT) String traceparent,
      @Context SecurityContext security) {
    // Checked here, not with @NotNull: Payara's OpenAPI scanner fails on a constrained body.
    if (body == null) {
      throw new InvalidRequestException("a JSON body is required");
    }
    Caller caller = Caller.of(security);
    TaskRequest request = TaskRequests.from(body, idempotencyKey, traceparent, caller.name(),
        caller.workspaceFor(body.workspace()));
    Submission submission = tasks.submit(request);
    TaskJson json = TaskJson.of(submission.task());
    if (!submission.created()) {
      return Response.ok(json).build();
    }
    // Relative: JAX-RS resolves a relative Location against the application's base URI.
    return Response.created(URI.create("tasks/" + submission.task().id().value())).entity(json).build();
  }

  @POST
  @Path("batch")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @Operation(summary = "Submit several tasks at once",
      description = "Takes a JSON array of 1 to " + MAX_BATCH + " submit bodies (each may carry its"
          + " own idempotencyKey) and stores them together, which costs the hub far less than one"
          + " request per task (e.g. an assistant's fan-out). Answers 200 with one result per item,"
          + " in order: status 201 (created) or 200 (idempotent retry) with the task, or the"
          + " status and problem a single submit of that item would have answered. One refused item"
          + " does not affect the others. A traceparent header applies to every item.")
  @APIResponse(responseCode = "200", description = "One result per item, in order")
  @APIResponse(responseCode = "400",
      description = "Not a JSON array of submit bodies, empty, or more than " + MAX_BATCH
          + " items",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public List<BatchItemJson> submitBatch(
      @Valid List<SubmitTaskJson> body, @HeaderParam(TRACEPARENT) String traceparent,
      @Context SecurityContext security) {
    Caller caller = Caller.of(security);
    if (body == null || body.isEmpty()) {
      throw new InvalidRequestException("a JSON array of 1 to " + MAX_BATCH + " tasks is required");
    }
    if (body.size() > MAX_BATCH) {
      throw new InvalidRequestException(
          "at most " + MAX_BATCH + " tasks per batch, got " + body.size());
    }
    BatchItemJson[] out = new BatchItemJson[body.size()];
    List<TaskRequest> requests = new ArrayList<>(body.size());
    List<Integer> positions = new ArrayList<>(body.size());
    for (int i = 0; i < body.size(); i++) {
      try {
        if (body.get(i) == null) {
          throw new InvalidRequestException("item " + i + ": null is not a task");
        }
        requests.add(TaskRequests.from(body.get(i), null, traceparent, caller.name(),
            caller.workspaceFor(body.get(i).workspace())));
        positions.add(i);
      } catch (InvalidRequestException | NotPermittedException e) {
        out[i] = BatchItemJson.refused(e);
      }
    }
    if (!requests.isEmpty()) {
      List<SubmitOutcome> outcomes = tasks.submitAll(requests);
      for (int j = 0; j < outcomes.size(); j++) {
        out[positions.get(j)] = BatchItemJson.of(outcomes.get(j));
      }
    }
    return List.of(out);
  }

  @GET
  @Operation(summary = "Recent tasks",
      description = "The most recently created tasks of the caller's workspaces, newest first.")
  public List<TaskJson> recent(
      @Parameter(description = "How many, 1 to " + MAX_LIST_LIMIT + " (default "
          + DEFAULT_LIST_LIMIT + ")") @QueryParam("limit") String limit,
      @Context SecurityContext security) {
    int n = (int) Params.inRange("limit", limit, DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    return tasks.recent(n, Caller.of(security).scope()).stream().map(TaskJson::of).toList();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Get one task")
  @APIResponse(responseCode = "200", description = "The task")
  @APIResponse(responseCode = "404", description = "No task has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public TaskJson get(@PathParam("id") String id, @Context SecurityContext security) {
    TaskId taskId = new TaskId(id);
    return tasks.find(taskId, Caller.of(security).scope()).map(TaskJson::of)
        .orElseThrow(() -> new UnknownTaskException(taskId));
  }

  @POST
  @Path("{id}/cancel")
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @Operation(summary = "Cancel a task",
      description = "A queued task is cancelled at once; a running one is asked to stop on its"
          + " node and becomes CANCELLED when the node confirms.")
  @APIResponse(responseCode = "202", description = "Cancellation accepted; the task as it is now")
  @APIResponse(responseCode = "404", description = "No task has this id",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "409", description = "The task already finished",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response cancel(@PathParam("id") String id, @Context SecurityContext security) {
    TaskView task = tasks.cancel(new TaskId(id), Caller.of(security).scope());
    return Response.accepted(TaskJson.of(task)).build();
  }
}
