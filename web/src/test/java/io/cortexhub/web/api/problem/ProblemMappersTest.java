package io.cortexhub.web.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.dispatch.InvalidTaskRequestException;
import io.cortexhub.hub.dispatch.TaskAlreadyFinishedException;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.api.tasks.SubmitTaskJson;
import io.cortexhub.web.testing.Problems;
import io.cortexhub.web.testing.Views;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

  @Test
  void unknownNode_isA404UnknownNodeProblemNamingTheNode() {
    Response response = new DomainExceptionMappers.UnknownNodeMapper()
        .toResponse(new UnknownNodeException(new NodeId("n-42")));

    assertProblem(response, 404, "urn:cortexhub:problem:unknown-node", "Unknown node");
    assertThat(Problems.body(response).getString("detail")).contains("n-42");
  }

  @Test
  void unknownTask_isA404UnknownTaskProblem() {
    Response response = new DomainExceptionMappers.UnknownTaskMapper()
        .toResponse(new UnknownTaskException(new TaskId("t-9")));

    assertProblem(response, 404, "urn:cortexhub:problem:unknown-task", "Unknown task");
    assertThat(Problems.body(response).getString("detail")).contains("t-9");
  }

  @Test
  void invalidTaskRequest_isA400CarryingTheHubsReason() {
    Response response = new DomainExceptionMappers.InvalidTaskRequestMapper()
        .toResponse(new InvalidTaskRequestException("argv must not be empty"));

    assertProblem(response, 400, "urn:cortexhub:problem:invalid-request", "Invalid request");
    assertThat(Problems.body(response).getString("detail")).isEqualTo("argv must not be empty");
  }

  @Test
  void taskAlreadyFinished_isA409() {
    Response response = new DomainExceptionMappers.TaskAlreadyFinishedMapper()
        .toResponse(new TaskAlreadyFinishedException(Views.task("t-1", TaskState.SUCCEEDED)));

    assertProblem(response, 409, "urn:cortexhub:problem:task-already-finished",
        "Task already finished");
    assertThat(Problems.body(response).getString("detail")).contains("t-1", "SUCCEEDED");
  }

  @Test
  void restLayerRejection_isA400InvalidRequest() {
    Response response = new RequestExceptionMappers.InvalidRequestMapper()
        .toResponse(new InvalidRequestException("kind must be one of: echo, shell; got 'x'"));

    assertProblem(response, 400, "urn:cortexhub:problem:invalid-request", "Invalid request");
  }

  @Test
  void jsonThatDoesNotBind_isA400MalformedRequestNamingTheProperty() {
    JsonbException failure = bindingFailure("{\"kind\":\"echo\",\"timeoutSeconds\":\"soon\"}");

    Response response = new RequestExceptionMappers.JsonbMapper().toResponse(failure);

    assertProblem(response, 400, "urn:cortexhub:problem:malformed-request", "Malformed request");
    assertThat(Problems.body(response).getString("detail")).contains("timeoutSeconds");
  }

  @Test
  void brokenJsonSyntax_wrappedByTheEntityProvider_isA400MalformedRequest() {
    JsonbException failure = bindingFailure("{\"kind\": ");

    Response response = new RequestExceptionMappers.ProcessingMapper()
        .toResponse(new ProcessingException("Error deserializing object", failure));

    assertProblem(response, 400, "urn:cortexhub:problem:malformed-request", "Malformed request");
  }

  @Test
  void badRequestCausedByJson_isA400MalformedRequest() {
    Response response = new WebApplicationExceptionMapper()
        .toResponse(new BadRequestException(bindingFailure("[1,2")));

    assertProblem(response, 400, "urn:cortexhub:problem:malformed-request", "Malformed request");
  }

  @Test
  void processingFailureUnrelatedToJson_isA500WithoutInternals() {
    Response response = new RequestExceptionMappers.ProcessingMapper()
        .toResponse(new ProcessingException("writer exploded at com.example.Secret"));

    assertInternalErrorWithoutLeaking(response, "Secret");
  }

  @Test
  void beanValidationFailure_isA400ListingEachFieldAndReason() {
    Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
    var body = new SubmitTaskJson(" ", null, List.of("ls"), null, null, null, -5, "", null, Map.of(), null);
    var violations = validator.validate(body);

    Response response = new RequestExceptionMappers.ConstraintViolationMapper()
        .toResponse(new ConstraintViolationException(violations));

    assertProblem(response, 400, "urn:cortexhub:problem:invalid-request", "Invalid request");
    assertThat(Problems.body(response).getString("detail"))
        .contains("kind: must not be blank")
        .contains("timeoutSeconds: must be greater than 0")
        .contains("idempotencyKey: size must be between 1 and 200");
  }

  @Test
  void unknownRoute_isA404AboutBlank() {
    Response response = new WebApplicationExceptionMapper().toResponse(new NotFoundException());

    assertProblem(response, 404, "about:blank", "Not Found");
  }

  @Test
  void wrongMethod_isA405ThatKeepsTheAllowHeader() {
    Response response = new WebApplicationExceptionMapper()
        .toResponse(new NotAllowedException("GET", new String[] {"POST"}));

    assertProblem(response, 405, "about:blank", "Method Not Allowed");
    assertThat(response.getHeaderString(HttpHeaders.ALLOW)).contains("GET").contains("POST");
  }

  @Test
  void unsupportedMediaType_isA415AboutBlank() {
    Response response = new WebApplicationExceptionMapper()
        .toResponse(new NotSupportedException());

    assertProblem(response, 415, "about:blank", "Unsupported Media Type");
  }

  @Test
  void serverErrorRaisedAsWebApplicationException_isA500WithoutInternals() {
    Response response = new WebApplicationExceptionMapper()
        .toResponse(new ServerErrorException("pool jdbc/secret exhausted", 503));

    assertInternalErrorWithoutLeaking(response, "secret");
  }

  @Test
  void unexpectedException_isA500WithoutMessageOrStackTrace() {
    Response response = new UnexpectedExceptionMapper()
        .toResponse(new IllegalStateException("password=hunter2"));

    assertInternalErrorWithoutLeaking(response, "hunter2");
  }

  @Test
  void problemBody_hasTheRfc9457MembersAndTheInstanceWhenKnown() {
    Problem problem = ProblemType.UNKNOWN_TASK.problem("unknown task: t-1").at("/api/v1/tasks/t-1");

    Response response = problem.toResponse();

    assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
    JsonObject body = Problems.body(response);
    assertThat(body.keySet()).containsExactlyInAnyOrder(
        "type", "title", "status", "detail", "instance");
    assertThat(body.getString("instance")).isEqualTo("/api/v1/tasks/t-1");
  }

  private static final Jsonb JSONB = JsonbBuilder.create();

  private static JsonbException bindingFailure(String json) {
    try {
      JSONB.fromJson(json, SubmitTaskJson.class);
    } catch (JsonbException e) {
      return e;
    }
    throw new AssertionError("expected " + json + " not to bind");
  }

  private static void assertProblem(Response response, int status, String type, String title) {
    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE_JSON);
    JsonObject body = Problems.body(response);
    assertThat(body.getString("type")).isEqualTo(type);
    assertThat(body.getString("title")).isEqualTo(title);
    assertThat(body.getInt("status")).isEqualTo(status);
    assertThat(body.getString("detail")).isNotBlank();
  }

  private static void assertInternalErrorWithoutLeaking(Response response, String secret) {
    assertProblem(response, 500, "urn:cortexhub:problem:internal-error", "Internal server error");
    String entity = (String) response.getEntity();
    assertThat(entity).doesNotContain(secret).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(Problems.body(response).getString("detail")).contains("incident");
  }
}
