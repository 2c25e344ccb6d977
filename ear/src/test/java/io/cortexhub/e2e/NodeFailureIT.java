package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Processes;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.e2e.support.TestPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nodes that die or fall silent: the hub notices within the heartbeat window and never leaves their tasks
 * "running forever". The hub runs with a 1 s heartbeat and a 5 s dispatch lease.
 */
class NodeFailureIT {
  private static Stack stack;
  private static HubClient hub;
  private static Duration heartbeat;

  @BeforeAll
  static void startHub() {
    stack = Stack.startForTest("node-failure");
    hub = stack.client();
    heartbeat = stack.hub().settings().heartbeatInterval();
  }

  @AfterAll
  static void stopAll() {
    Processes.killWithArgument("3201");
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void nodeKilledWithSigkill_goesOffline_andItsRunningTaskBecomesLost() {
    String nodeId = stack.attachNode("doomed",
        NodeProcess.Options.defaults().withPolicy(TestPolicy.autoConsent().allowing("/usr/bin/sleep")), "default");
    String taskId = hub.submitShell(nodeId, Duration.ofMinutes(5), "sleep", "3201").path("id").asText();
    stack.awaitState(taskId, "RUNNING", Duration.ofSeconds(30));

    stack.node("doomed").kill();
    long killedAt = System.nanoTime();

    // Offline within the heartbeat window: 3 missed intervals, plus one interval of sweep granularity.
    Await.until("doomed OFFLINE", heartbeat.multipliedBy(4).plusSeconds(2), () -> hub.nodeState("doomed").orElse("").equals("OFFLINE"));
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(heartbeat.multipliedBy(4).plusSeconds(2));

    // The lease ends and the task is LOST, not RUNNING forever.
    JsonNode task = stack.awaitFinal(taskId, stack.hub().settings().dispatchLease().plusSeconds(20));
    assertThat(task.path("state").asText()).isEqualTo("LOST");
  }

  @Test
  void frozenNode_missesHeartbeats_goesStaleThenOffline_andComesBackOnlineWhenResumed() throws IOException {
    stack.attachNode("frozen", Map.of(), 1);
    NodeProcess node = stack.node("frozen");
    long pid = node.process().pid();

    // SIGSTOP keeps the TCP connection open but silences the node: only heartbeat deadlines can tell.
    signal("STOP", pid);
    try {
      Await.until("frozen STALE", heartbeat.multipliedBy(6), () -> hub.nodeState("frozen").orElse("").equals("STALE"));
      Await.until("frozen OFFLINE", heartbeat.multipliedBy(8), () -> hub.nodeState("frozen").orElse("").equals("OFFLINE"));
    } finally {
      signal("CONT", pid);
    }

    Await.until("frozen ONLINE again", Stack.NODE_ONLINE_TIMEOUT, () -> hub.nodeState("frozen").orElse("").equals("ONLINE"));
  }

  private static void signal(String signal, long pid) throws IOException {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
      assertThat(exit).as("kill -%s %d", signal, pid).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
