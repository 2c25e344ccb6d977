package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.web.api.problem.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskRequestsTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void shellBody_becomesAShellRequestWithEveryField() {
    var body = new SubmitTaskJson("shell", null, List.of("sh", "-c", "echo hi"),
        Map.of("A", "1"), "/tmp", 30, "key-1", "n-1", null, null);

    TaskRequest request = TaskRequests.from(body, null, TRACEPARENT, "alice");

    assertThat(request.kind()).isEqualTo(TaskKind.SHELL);
    assertThat(request.argv()).containsExactly("sh", "-c", "echo hi");
    assertThat(request.env()).containsEntry("A", "1");
    assertThat(request.workingDir()).isEqualTo("/tmp");
    assertThat(request.timeout()).contains(Duration.ofSeconds(30));
    assertThat(request.idempotencyKey()).contains("key-1");
    assertThat(request.targetNode()).contains(new NodeId("n-1"));
    assertThat(request.selector()).isEmpty();
    assertThat(request.requestedBy()).isEqualTo("alice");
    assertThat(request.traceparent()).contains(TRACEPARENT);
  }

  @Test
  void echoBody_routedBySelector_becomesAnEchoRequest() {
    var body = new SubmitTaskJson("ECHO", "hello", null, null, null, null, null, null,
        Map.of("zone", "a"), null);

    TaskRequest request = TaskRequests.from(body, null, null, "anonymous");

    assertThat(request.kind()).isEqualTo(TaskKind.ECHO);
    assertThat(request.echoMessage()).isEqualTo("hello");
    assertThat(request.selector()).containsExactly(Map.entry("zone", "a"));
    assertThat(request.targetNode()).isEmpty();
    assertThat(request.timeout()).isEmpty();
    assertThat(request.traceparent()).isEmpty();
  }

  @Test
  void unknownKind_isRejectedListingTheKnownKinds() {
    var body = new SubmitTaskJson("browser", null, null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("echo, shell").hasMessageContaining("browser");
  }

  @Test
  void argvOnAnEchoTask_isRejected() {
    var body = new SubmitTaskJson("echo", "hi", List.of("ls"), null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("argv");
  }

  @Test
  void messageOnAShellTask_isRejected() {
    var body = new SubmitTaskJson("shell", "hi", List.of("ls"), null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("message");
  }

  @Test
  void nodeAndSelectorTogether_areRejectedAsAmbiguous() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, "n-1",
        Map.of("zone", "a"), null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not both");
  }

  @Test
  void blankNode_isRejected() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, "  ", null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("node id");
  }

  @Test
  void idempotencyKey_mayComeFromTheHeader() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, null, null);

    assertThat(TaskRequests.from(body, "key-h", null, "a").idempotencyKey()).contains("key-h");
  }

  @Test
  void differentKeysInHeaderAndBody_areRejected() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, "key-b", null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, "key-h", null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("differ");
  }

  @Test
  void sameKeyInHeaderAndBody_isAccepted() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, "k", null, null, null);

    assertThat(TaskRequests.from(body, "k", null, "a").idempotencyKey()).contains("k");
  }

  @Test
  void overlongHeaderKey_isRejected() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, "k".repeat(201), null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Idempotency-Key");
  }

  @Test
  void invalidTraceparent_isIgnoredSoTheHubStartsANewTrace() {
    assertThat(TaskRequests.traceparent("garbage")).isEmpty();
    assertThat(TaskRequests.traceparent(
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TaskRequests.traceparent(TRACEPARENT.toUpperCase())).isEqualTo(
        Optional.of(TRACEPARENT));
  }
}
