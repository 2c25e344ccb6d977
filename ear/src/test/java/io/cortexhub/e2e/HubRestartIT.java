package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.e2e.support.TestPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hub restart loses nothing: the node reconnects on its own and resends what the hub had not stored,
 * so the output of tasks that kept running through the restart is complete, without gaps or duplicates.
 */
class HubRestartIT {
  private Stack stack;
  private HubClient hub;

  @BeforeEach
  void startHubAndNode() {
    stack = Stack.startForTest("hub-restart");
    hub = stack.client();
  }

  @AfterEach
  void stopAll() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void hubRestart_nodeReconnects_andOutputOfRunningTasksIsCompleteWithoutGapsOrDuplicates() {
    String nodeId = stack.attachNode("survivor",
        NodeProcess.Options.defaults().withMaxTasks(4).withPolicy(TestPolicy.autoConsent().allowingInterpreter("/bin/sh")), "default");
    // One task ends while the hub is down, the other runs on after the hub is back.
    String shortTask = hub.submitShell(nodeId, Duration.ofMinutes(5), "sh", "-c", counter(40, "0.1")).path("id").asText();
    String longTask = hub.submitShell(nodeId, Duration.ofMinutes(5), "sh", "-c", counter(400, "0.1")).path("id").asText();
    Await.until("output flowing before the restart", Duration.ofSeconds(30), () -> hub.task(shortTask).path("outputSeq").asLong() >= 3);

    stack.hub().restart();

    Await.until("survivor ONLINE after restart", Stack.NODE_ONLINE_TIMEOUT, () -> hub.nodeState("survivor").orElse("").equals("ONLINE"));
    JsonNode shortResult = stack.awaitFinal(shortTask, Duration.ofSeconds(60));
    JsonNode longResult = stack.awaitFinal(longTask, Duration.ofSeconds(90));

    assertThat(shortResult.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(longResult.path("state").asText()).isEqualTo("SUCCEEDED");
    assertCompleteOutput(shortTask, 40);
    assertCompleteOutput(longTask, 400);
  }

  /** A shell loop printing line-1 .. line-N, pausing between lines. */
  private static String counter(int lines, String pause) {
    return "i=1; while [ $i -le " + lines + " ]; do echo line-$i; i=$((i+1)); sleep " + pause + "; done";
  }

  private void assertCompleteOutput(String taskId, int lines) {
    JsonNode chunks = hub.output(taskId, 1);
    List<Long> seqs = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> {
      seqs.add(chunk.path("seq").asLong());
      text.append(chunk.path("data").asText());
    });
    assertThat(seqs).as("seq numbers of %s", taskId)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, seqs.size()).mapToObj(Long::valueOf).toList());
    assertThat(text.toString().lines().toList()).as("output lines of %s", taskId)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, lines).mapToObj(i -> "line-" + i).toList());
  }
}
