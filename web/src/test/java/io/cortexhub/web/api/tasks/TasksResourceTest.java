package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.TaskAlreadyFinishedException;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.testing.FakeSecurity;
import io.cortexhub.web.testing.FakeTaskService;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TasksResourceTest {

  private static final FakeSecurity AS_OPERATOR = FakeSecurity.operator("olga");
  private final MutableClock clock = new MutableClock(Views.T0);
  private final FakeTaskService service = new FakeTaskService(clock);
  private final TasksResource resource = new TasksResource(service);

  @Test
  void submit_answers201WithARelativeLocationAndTheTask() {
    Response response = resource.submit(echo(null), null, null, AS_OPERATOR);

    assertThat(response.getStatus()).isEqualTo(201);
    assertThat(response.getLocation()).hasToString("tasks/t-1");
    assertThat(((TaskJson) response.getEntity()).state()).isEqualTo("QUEUED");
  }

  @Test
  void retryWithTheSameIdempotencyKey_answers200WithTheFirstTask() {
    Response first = resource.submit(echo("k-1"), null, null, AS_OPERATOR);
    clock.advance(Duration.ofSeconds(2));

    Response retry = resource.submit(echo(null), "k-1", null, AS_OPERATOR);

    assertThat(first.getStatus()).isEqualTo(201);
    assertThat(retry.getStatus()).isEqualTo(200);
    assertThat(((TaskJson) retry.getEntity()).id())
        .isEqualTo(((TaskJson) first.getEntity()).id());
    assertThat(service.recent(10)).hasSize(1);
  }

  @Test
  void missingBody_isRejected() {
    assertThatThrownBy(() -> resource.submit(null, null, null, AS_OPERATOR))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("body");
  }

  @Test
  void traceparentHeader_isPassedToTheHub() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    resource.submit(echo(null), null, traceparent, AS_OPERATOR);

    assertThat(service.requests().get(0).traceparent()).contains(traceparent);
  }

  @Test
  void submit_recordsTheCallerAsRequester() {
    resource.submit(echo(null), null, null, AS_OPERATOR);

    assertThat(service.requests().get(0).requestedBy()).isEqualTo("olga");
  }

  @Test
  void recent_defaultsTo50AndRejectsABadLimit() {
    assertThat(resource.recent(null, AS_OPERATOR)).isEmpty();
    assertThatThrownBy(() -> resource.recent("many", AS_OPERATOR))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> resource.recent("0", AS_OPERATOR)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.recent("501", AS_OPERATOR)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void recent_listsNewestFirst() {
    resource.submit(echo(null), null, null, AS_OPERATOR);
    clock.advance(Duration.ofSeconds(1));
    resource.submit(echo(null), null, null, AS_OPERATOR);

    assertThat(resource.recent("1", AS_OPERATOR)).extracting(TaskJson::id).containsExactly("t-2");
  }

  @Test
  void get_unknownTask_throwsUnknownTask() {
    assertThatThrownBy(() -> resource.get("nope", AS_OPERATOR)).isInstanceOf(UnknownTaskException.class);
  }

  @Test
  void cancel_answers202WithTheCancelledTask() {
    service.put(Views.task("t-9", TaskState.RUNNING));

    Response response = resource.cancel("t-9", AS_OPERATOR);

    assertThat(response.getStatus()).isEqualTo(202);
    assertThat(((TaskJson) response.getEntity()).state()).isEqualTo("CANCELLED");
  }

  @Test
  void cancel_finishedTask_throwsAlreadyFinished() {
    service.put(Views.task("t-9", TaskState.SUCCEEDED));

    assertThatThrownBy(() -> resource.cancel("t-9", AS_OPERATOR))
        .isInstanceOf(TaskAlreadyFinishedException.class);
  }

  private static SubmitTaskJson echo(String key) {
    return new SubmitTaskJson("echo", "hi", null, null, null, null, null, key, null, null, null);
  }
}
