package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.Submission;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.persistence.DatabaseException;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.api.problem.RequestExceptionMappers;
import io.cortexhub.web.testing.FakeSecurity;
import io.cortexhub.web.testing.FakeTaskService;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Problems;
import io.cortexhub.web.testing.Views;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchSubmitTest {

  private static final FakeSecurity AS_OPERATOR = FakeSecurity.operator("olga");
  private final MutableClock clock = new MutableClock(Views.T0);
  private final FakeTaskService service = new FakeTaskService(clock);
  private final TasksResource resource = new TasksResource(service);

  private static SubmitTaskJson echo(String key) {
    return new SubmitTaskJson("echo", "hi", null, null, null, null, null, key, null, null, null);
  }

  @Test
  void batch_answersOneResultPerItemInOrder_withTheStatusASingleSubmitWouldGive() {
    SubmitTaskJson badKind = new SubmitTaskJson("teleport", null, null, null, null, null, null, null,
        null, null, null);

    List<BatchItemJson> out = resource.submitBatch(
        Arrays.asList(echo("k-1"), badKind, echo(null), echo("k-1"), null), null, AS_OPERATOR);

    assertThat(out).extracting(BatchItemJson::status).containsExactly(201, 400, 201, 200, 400);
    assertThat(out.get(0).task().id()).isEqualTo(out.get(3).task().id());
    assertThat(out.get(1).task()).isNull();
    assertThat(out.get(1).problem().getString("type"))
        .isEqualTo("urn:cortexhub:problem:invalid-request");
    assertThat(out.get(1).problem().getString("detail")).contains("kind");
    assertThat(out.get(4).problem().getString("detail")).contains("item 4");
    assertThat(service.recent(10)).hasSize(2);
  }

  @Test
  void emptyMissingOrOversizedBatch_isRejectedAsA400Problem() {
    List<SubmitTaskJson> tooMany = new ArrayList<>(Collections.nCopies(501, echo(null)));

    assertThatThrownBy(() -> resource.submitBatch(null, null, AS_OPERATOR))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.submitBatch(List.of(), null, AS_OPERATOR))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.submitBatch(tooMany, null, AS_OPERATOR))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 500");
    assertThat(service.requests()).isEmpty();

    Response problem = new RequestExceptionMappers.InvalidRequestMapper()
        .toResponse(new InvalidRequestException("at most 500 tasks per batch, got 501"));
    assertThat(problem.getStatus()).isEqualTo(400);
    assertThat(problem.getMediaType()).hasToString("application/problem+json");
    assertThat(Problems.body(problem).getString("type"))
        .isEqualTo("urn:cortexhub:problem:invalid-request");
  }

  @Test
  void anItemTheHubCouldNotStore_isA500ProblemWithoutInternalDetail() {
    TasksResource failing = new TasksResource(new TaskService() {
      @Override
      public Submission submit(TaskRequest request) {
        throw new DatabaseException("jdbc:secret failed", null);
      }

      @Override
      public Optional<TaskView> find(TaskId id) {
        return Optional.empty();
      }

      @Override
      public List<TaskView> recent(int limit) {
        return List.of();
      }

      @Override
      public TaskView cancel(TaskId id) {
        throw new UnknownTaskException(id);
      }
    });

    List<BatchItemJson> out = failing.submitBatch(List.of(echo(null)), null, AS_OPERATOR);

    assertThat(out.get(0).status()).isEqualTo(500);
    assertThat(out.get(0).problem().getString("detail")).doesNotContain("secret");
  }

  @Test
  void batchResults_serializeAsStatusWithTaskOrProblem() throws Exception {
    List<BatchItemJson> out = resource.submitBatch(
        List.of(echo(null), new SubmitTaskJson("x", null, null, null, null, null, null, null, null,
            null, null)), null, AS_OPERATOR);

    try (Jsonb jsonb = JsonbBuilder.create()) {
      String json = jsonb.toJson(out);
      assertThat(json).startsWith("[{").contains("\"status\":201").contains("\"task\":{")
          .contains("\"status\":400").contains("\"problem\":{");
      assertThat(json).doesNotContain("null");
    }
  }
}
