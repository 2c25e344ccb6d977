package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.Processes;
import io.cortexhub.e2e.support.SseStream;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.e2e.support.TestPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shell tasks run on a real node: live output, exit codes, timeouts, cancellation of a process tree. */
class TaskExecutionIT {
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(60);

  private static Stack stack;
  private static HubClient hub;
  private static String nodeId;

  @BeforeAll
  static void startHubAndNode() {
    stack = Stack.startForTest("task-execution");
    hub = stack.client();
    // Exactly what the tests below run: sh (an interpreter, so the owner allows it knowingly), true, sleep.
    TestPolicy policy = TestPolicy.autoConsent()
        .allowingInterpreter("/bin/sh").allowing("/usr/bin/true").allowing("/usr/bin/sleep").allowingEnv("GREETING");
    nodeId = stack.attachNode("e2e-runner",
        NodeProcess.Options.defaults().withLabels(Map.of("pool", "e2e")).withMaxTasks(4).withPolicy(policy), "default");
  }

  @AfterAll
  static void stopAll() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shellTask_streamsOutputLiveOverSse_beforeTheTaskEnds() {
    JsonNode task =
        hub.submitShell(nodeId, TASK_TIMEOUT, "sh", "-c", "echo first; sleep 2; echo second");
    String id = task.path("id").asText();
    try (SseStream events = hub.outputEvents(id, 1)) {
      Await.until("finished event", TASK_TIMEOUT, () -> events.finishedEvent().isPresent());

      assertThat(events.outputEvents()).extracting(SseStream.Event::data).containsExactly("first\n", "second\n");
      assertThat(events.outputEvents()).extracting(SseStream.Event::id).containsExactly("1", "2");
      long firstAt = events.outputEvents().get(0).receivedAtNanos();
      long finishedAt = events.finishedEvent().orElseThrow().receivedAtNanos();
      // "first" must reach the client while the process is still sleeping, not batched at the end.
      assertThat(Duration.ofNanos(finishedAt - firstAt)).isGreaterThan(Duration.ofMillis(1500));
    }
    assertThat(hub.task(id).path("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void outputReplay_fromASequenceNumber_returnsThatChunkAndTheLaterOnes() {
    // Pauses between lines so that each line is read, numbered and stored as a chunk of its own.
    String id =
        hub.submitShell(nodeId, TASK_TIMEOUT, "sh", "-c", "echo a; sleep 0.3; echo b; sleep 0.3; echo c")
            .path("id")
            .asText();
    stack.awaitFinal(id, TASK_TIMEOUT);
    List<JsonNode> stored = new ArrayList<>();
    hub.output(id, 1).forEach(stored::add);
    assertThat(stored).extracting(c -> c.path("seq").asLong()).containsExactly(1L, 2L, 3L);

    try (SseStream events = hub.outputEvents(id, 2)) {
      Await.until("stream closed after replay", TASK_TIMEOUT, events::ended);
      assertThat(events.outputEvents()).extracting(SseStream.Event::id).containsExactly("2", "3");
      assertThat(events.outputEvents()).extracting(SseStream.Event::data).containsExactly("b\n", "c\n");
    }
  }

  @Test
  void exitCodes_areReported_zeroAsSucceededAndNonZeroAsFailed() {
    String ok = hub.submitShell(nodeId, TASK_TIMEOUT, "true").path("id").asText();
    String failed = hub.submitShell(nodeId, TASK_TIMEOUT, "sh", "-c", "exit 7").path("id").asText();

    JsonNode okTask = stack.awaitFinal(ok, TASK_TIMEOUT);
    JsonNode failedTask = stack.awaitFinal(failed, TASK_TIMEOUT);

    assertThat(okTask.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(okTask.path("exitCode").asInt(-1)).isZero();
    assertThat(failedTask.path("state").asText()).isEqualTo("FAILED");
    assertThat(failedTask.path("exitCode").asInt(-1)).isEqualTo(7);
  }

  @Test
  void stderrAndEnvironment_reachTheHub() {
    ObjectNode body = HubClient.object().put("kind", "shell").put("node", nodeId);
    HubClient.argv(body, "sh", "-c", "echo \"$GREETING\" 1>&2");
    body.putObject("env").put("GREETING", "hello from env");
    String id = hub.submit(body).path("id").asText();

    stack.awaitFinal(id, TASK_TIMEOUT);
    try (SseStream events = hub.outputEvents(id, 1)) {
      Await.until("stream closed", TASK_TIMEOUT, events::ended);
      assertThat(events.outputEvents()).singleElement().satisfies(e -> {
        assertThat(e.name()).isEqualTo("stderr");
        assertThat(e.data()).isEqualTo("hello from env\n");
      });
    }
  }

  @Test
  void taskPastItsTimeout_isStoppedAndReportedTimedOut() {
    String id = hub.submitShell(nodeId, Duration.ofSeconds(1), "sleep", "3001").path("id").asText();

    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);

    assertThat(task.path("state").asText()).isEqualTo("TIMED_OUT");
    Await.until("sleep 3001 gone", Duration.ofSeconds(10), () -> Processes.withArgument("3001").isEmpty());
  }

  @Test
  void cancel_killsTheWholeProcessTree_noOrphansRemain() {
    String id =
        hub.submitShell(
                nodeId, TASK_TIMEOUT, "sh", "-c", "sleep 3101 & sleep 3102 & echo children-started; wait")
            .path("id")
            .asText();
    Await.until(
        "children started",
        TASK_TIMEOUT,
        () -> !Processes.withArgument("3101").isEmpty() && !Processes.withArgument("3102").isEmpty());

    assertThat(hub.cancel(id).status()).isEqualTo(202);
    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);

    assertThat(task.path("state").asText()).isEqualTo("CANCELLED");
    Await.until(
        "every process of the task gone",
        Duration.ofSeconds(15),
        () -> Processes.withArgument("3101").isEmpty() && Processes.withArgument("3102").isEmpty());
  }

  @Test
  void echoTask_routedBySelector_runsOnTheLabelledNode() {
    ObjectNode body = HubClient.object().put("kind", "echo").put("message", "ping");
    body.putObject("selector").put("pool", "e2e");
    String id = hub.submit(body).path("id").asText();

    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);

    assertThat(task.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(task.path("node").asText()).isEqualTo(nodeId);
  }
}
