package io.cortexhub.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.connector.inbound.ConsentRequestReport;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.connector.inbound.TaskRejection;
import io.cortexhub.hub.connector.inbound.TaskStartReport;
import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub's view of a node's consent step and of its sandbox's quota kills. */
class ConsentAndQuotaTest {
  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);
  private final TaskService tasks = hub.core.tasks();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private TaskView submitShell(Recording node, Duration timeout) {
    TaskView t = tasks.submit(new TaskRequest(TaskKind.SHELL, "default", "", List.of("rm", "-rf", "build"),
        Map.of(), "", Optional.empty(), Optional.of(timeout), Optional.empty(), Optional.of(node.node()), Map.of(),
        "alice", Optional.empty())).task();
    hub.commit();
    return t;
  }

  private TaskView view(TaskView t) {
    hub.commit();
    return tasks.find(t.id()).orElseThrow();
  }

  private void awaitConsent(Recording n, TaskView t, Duration answerWithin) {
    hub.core.onTaskAwaitingConsent(n.node(), new ConsentRequestReport(t.id().value(),
        "run rm -rf build in /ws for alice", hub.clock.millis() + answerWithin.toMillis()));
  }

  @Test
  void taskTheOwnerMustApprove_isAwaitingConsent_thenRunningOnceApproved() {
    Recording n = hub.connect("n", 2);
    TaskView t = submitShell(n, Duration.ofMinutes(1));

    awaitConsent(n, t, Duration.ofMinutes(5));

    TaskView waiting = view(t);
    assertThat(waiting.state()).isEqualTo(TaskState.AWAITING_CONSENT);
    assertThat(waiting.detail()).contains("awaiting consent").contains("rm -rf build");

    hub.core.onTaskStarted(n.node(), new TaskStartReport(t.id().value(), hub.clock.millis(), 42));
    assertThat(view(t).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void deniedConsent_failsTheTaskWithTheReason_andIsNotRetriedElsewhere() {
    Recording n = hub.connect("n", 2);
    Recording other = hub.connect("other", 2);
    TaskView t = submitShell(n, Duration.ofMinutes(1));
    awaitConsent(n, t, Duration.ofMinutes(5));

    hub.core.onTaskRejected(n.node(), new TaskRejection(t.id().value(),
        TaskRejection.Reason.CONSENT_DENIED, "denied by the node's owner"));

    TaskView done = view(t);
    assertThat(done.state()).isEqualTo(TaskState.FAILED);
    assertThat(done.detail()).contains("CONSENT_DENIED").contains("denied by the node's owner");
    assertThat(other.tasks).isEmpty();
  }

  @Test
  void waitingForConsent_doesNotCountAgainstTheResultDeadline() {
    Recording n = hub.connect("n", 2);
    TaskView t = submitShell(n, Duration.ofSeconds(10));
    awaitConsent(n, t, Duration.ofMinutes(10));
    Duration withoutConsent = Duration.ofSeconds(10).plus(hub.settings.defaultKillGrace())
        .plus(hub.settings.resultGrace());

    // Beyond timeout + kill grace + result grace after dispatch, but the owner may still answer.
    advanceWithHeartbeats(n, withoutConsent.plusSeconds(30));
    assertThat(view(t).state()).isEqualTo(TaskState.AWAITING_CONSENT);

    advanceWithHeartbeats(n, Duration.ofMinutes(10));
    assertThat(view(t).state()).isEqualTo(TaskState.LOST);
  }

  @Test
  void quotaKill_endsTheTaskAsQuotaExceeded_withTheNodesDetail() {
    Recording n = hub.connect("n", 2);
    TaskView t = submitShell(n, Duration.ofMinutes(1));
    hub.core.onTaskStarted(n.node(), new TaskStartReport(t.id().value(), hub.clock.millis(), 42));

    hub.core.onTaskFinished(n.node(), new TaskFinishReport(t.id().value(),
        TaskFinishReport.Outcome.QUOTA_EXCEEDED, Optional.empty(), 0, hub.clock.millis(),
        hub.clock.millis(), "memory limit 64 MiB reached"));

    TaskView done = view(t);
    assertThat(done.state()).isEqualTo(TaskState.QUOTA_EXCEEDED);
    assertThat(done.state().isFinal()).isTrue();
    assertThat(done.detail()).isEqualTo("memory limit 64 MiB reached");
  }

  private void advanceWithHeartbeats(Recording n, Duration total) {
    Duration step = Duration.ofSeconds(5);
    for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
      hub.clock.advance(step);
      hub.core.onHeartbeat(n.node(),
          new io.cortexhub.hub.connector.inbound.HeartbeatReport(hub.clock.millis(), 1, 1, 0));
    }
  }
}
