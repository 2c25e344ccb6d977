package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.proto.node.v1.Cancel;
import io.cortexhub.proto.node.v1.Drain;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tunnel session against an in-process fake hub, on a fake clock and scheduler. */
class NodeAgentTest extends AgentTestBase {
  @Test
  void hello_carriesVersionNameManifestAndInstanceId() throws Exception {
    start(settings());
    FakeHub.Stream s = hub.nextStream(WAIT);
    Hello hello = s.next().getHello();

    assertThat(hello.getProtocolVersion()).isEqualTo(1);
    assertThat(hello.getNodeName()).isEqualTo("edge-1");
    assertThat(hello.getInstanceId()).isEqualTo(agent.instanceId()).isNotBlank();
    assertThat(hello.getResumeList()).isEmpty();
    var m = hello.getManifest();
    assertThat(m.getCapabilitiesList()).extracting(c -> c.getName()).containsExactly("echo", "shell");
    assertThat(m.getLabelsMap()).containsEntry("zone", "eu");
    assertThat(m.getMaxConcurrentTasks()).isEqualTo(2);
    assertThat(m.getIsolation()).isEqualTo("none");
    assertThat(m.getCpus()).isPositive();
    assertThat(m.getOsName()).isNotBlank();
    assertThat(m.getArch()).isNotBlank();
    assertThat(m.getJvm()).isNotBlank();
    assertThat(m.getAgentVersion()).isNotBlank();
  }

  @Test
  void heartbeats_followTheWelcomeInterval() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    clock.advance(Duration.ofMillis(999));
    assertThat(s.heartbeats()).isZero();
    clock.advance(Duration.ofMillis(1));
    Await.until("first heartbeat", () -> s.heartbeats() == 1);
    clock.advance(Duration.ofMillis(3000));
    Await.until("four heartbeats", () -> s.heartbeats() == 4);
    NodeFrame hb = s.all().stream().filter(NodeFrame::hasHeartbeat).findFirst().orElseThrow();
    assertThat(hb.getHeartbeat().getSentAtUnixMs()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z").toEpochMilli());
    assertThat(hb.getHeartbeat().getFreeSlots()).isEqualTo(2);
    assertThat(hb.getHeartbeat().getRunningTasks()).isZero();
    assertThat(hb.getHeartbeat().getLoadAverage()).isEqualTo(0.25);
  }

  @Test
  void echoAssignment_isAcceptedStartedEchoedAndFinished() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, echo("t-1", "hello hub"));

    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("t-1");
    assertThat(s.next().getTaskStarted().getPid()).isZero();
    NodeFrame out = s.next();
    assertThat(out.getOutput().getSeq()).isEqualTo(1);
    assertThat(out.getOutput().getData().toStringUtf8()).isEqualTo("hello hub");
    TaskFinished fin = s.next().getTaskFinished();
    assertThat(fin.getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(fin.getFinalSeq()).isEqualTo(1);
    assertThat(fin.getHasExitCode()).isTrue();
    assertThat(fin.getExitCode()).isZero();

    s.ack("t-1", 1);
    finishedAck(s, "t-1");
    Await.until("finished counted", () -> metrics.finished() == 1);
  }

  @Test
  void unparseableTask_isRejectedAsInvalid() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x00}));
    assertRejected(s, "", RejectReason.REJECT_REASON_INVALID);
  }

  @Test
  void taskForAnotherNode_isRejectedAsWrongNode() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, echo("t-2", "x").setNodeId("node-2"));
    assertRejected(s, "t-2", RejectReason.REJECT_REASON_WRONG_NODE);
  }

  @Test
  void capabilityNotOffered_isRejectedAsUnsupported() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, echo("t-3", "x").setCapability("browser"));
    assertRejected(s, "t-3", RejectReason.REJECT_REASON_UNSUPPORTED);
    assign(s, echo("t-4", "x").clearEcho());
    assertRejected(s, "t-4", RejectReason.REJECT_REASON_UNSUPPORTED);
  }

  @Test
  void allSlotsBusy_isRejectedAsCapacity() throws Exception {
    start(settings().withMaxTasks(1));
    FakeHub.Stream s = welcomed();
    assign(s, shellTask("long"));
    assertThat(s.next().hasTaskAccepted()).isTrue();
    assign(s, echo("t-5", "x"));
    assertRejected(s, "t-5", RejectReason.REJECT_REASON_CAPACITY);
    // The task id of a rejected task is not remembered: once a slot frees, the hub may dispatch it
    // again (with a fresh nonce, as it does for every dispatch).
    held("long").exit(0);
    s.nextMatching(NodeFrame::hasTaskFinished);
    assign(s, echo("t-5", "x"));
    assertThat(s.nextMatching(f -> f.hasTaskAccepted() || f.hasTaskRejected()).hasTaskAccepted()).isTrue();
  }

  @Test
  void drainingNode_rejectsAsDraining() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, shellTask("busy"));
    assertThat(s.next().hasTaskAccepted()).isTrue();
    s.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason("maintenance")).build());
    assign(s, echo("t-6", "x"));
    assertRejected(s, "t-6", RejectReason.REJECT_REASON_DRAINING);
  }

  @Test
  void expiredTask_isRejectedAsExpired() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, echo("t-7", "x").setIssuedAtUnixMs(clock.millis() - 90_000).setNotAfterUnixMs(clock.millis() - 30_001));
    assertRejected(s, "t-7", RejectReason.REJECT_REASON_EXPIRED);
  }

  @Test
  void duplicateTaskId_isRejectedAsReplayed() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, echo("t-8", "x"));
    s.nextMatching(NodeFrame::hasTaskFinished);
    assign(s, echo("t-8", "x")); // a fresh nonce, but a task id already held
    assertRejected(s, "t-8", RejectReason.REJECT_REASON_REPLAYED);
  }


  @Test
  void cancel_stopsTheTaskWithItsGrace_andReportsCancelled() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, shellTask("c-1"));
    assertThat(s.next().hasTaskAccepted()).isTrue();
    assertThat(s.next().getTaskStarted().getPid()).isEqualTo(4242);
    s.send(
        HubFrame.newBuilder()
            .setCancel(Cancel.newBuilder().setTaskId("c-1").setGraceMs(700).setReason("user"))
            .build());
    TaskFinished fin = s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished();
    assertThat(fin.getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
    assertThat(fin.getDetail()).isEqualTo("user");
    assertThat(held("c-1").stoppedFor).isEqualTo(StopReason.CANCELLED);
    assertThat(held("c-1").grace).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void drain_finishesRunningWork_thenClosesTheStreamForGood() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, shellTask("d-1"));
    assertThat(s.next().hasTaskAccepted()).isTrue();
    s.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason("upgrade")).build());
    held("d-1").print("last words");
    held("d-1").exit(0);
    TaskFinished fin = s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished();
    assertThat(fin.getFinalSeq()).isEqualTo(1);
    assertThat(agent.drained()).isNotDone(); // not before the hub has it all
    s.ack("d-1", 1);
    finishedAck(s, "d-1");

    agent.drained().get(10, TimeUnit.SECONDS);
    Await.until("node closed its side", s::completedByNode);
    clock.advance(Duration.ofSeconds(60));
    assertThat(hub.streams()).hasSize(1); // no reconnect after a drain
  }

  @Test
  void reconnect_resumesOutputWithoutGapsOrDuplicates_andReportsAFinishWhileDown() throws Exception {
    start(settings());
    FakeHub.Stream s1 = welcomed();
    assign(s1, shellTask("r-1"));
    assertThat(s1.next().hasTaskAccepted()).isTrue();
    assertThat(s1.next().hasTaskStarted()).isTrue();
    HoldingRunner.Held task = held("r-1");
    task.print("a");
    task.print("b");
    task.print("c");
    for (int seq = 1; seq <= 3; seq++) {
      assertThat(s1.next().getOutput().getSeq()).isEqualTo(seq);
    }
    s1.ack("r-1", 1);

    s1.fail(Status.UNAVAILABLE.withDescription("hub restarting"));
    Await.until("disconnected", () -> !agent.isConnected() && clock.pending() == 1);
    task.print("d"); // the task goes on while the hub is away
    task.exit(0);
    Await.until("finish recorded", () -> metrics.finished() == 1);

    clock.advance(Duration.ofSeconds(1)); // the backoff delay
    FakeHub.Stream s2 = hub.nextStream(WAIT);
    Hello hello = s2.next().getHello();
    assertThat(hello.getResumeList()).hasSize(1);
    var resume = hello.getResume(0);
    assertThat(resume.getTaskId()).isEqualTo("r-1");
    assertThat(resume.getAckedSeq()).isEqualTo(1);
    assertThat(resume.getProducedSeq()).isEqualTo(4);
    assertThat(resume.getFinished()).isTrue();

    s2.welcome(NODE_ID, 1000);
    s2.ack("r-1", 2); // the hub had stored 1..2
    assertThat(s2.next().hasTaskStarted()).isTrue();
    NodeFrame c = s2.next();
    NodeFrame d = s2.next();
    assertThat(List.of(c.getOutput().getSeq(), d.getOutput().getSeq())).containsExactly(3L, 4L);
    assertThat(c.getOutput().getData().toStringUtf8() + d.getOutput().getData().toStringUtf8()).isEqualTo("cd");
    TaskFinished fin = s2.next().getTaskFinished();
    assertThat(fin.getFinalSeq()).isEqualTo(4);
    assertThat(fin.getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(s2.poll(Duration.ofMillis(200))).isNull(); // nothing twice
    assertThat(backoff.delays.get()).isEqualTo(1);
  }

  @Test
  void healthySession_resetsTheBackoff_butAShortOneDoesNot() throws Exception {
    start(settings());
    FakeHub.Stream s1 = welcomed();
    s1.fail(Status.UNAVAILABLE);
    awaitRetryScheduled(1);
    assertThat(backoff.resets.get()).isZero();

    clock.advance(Duration.ofSeconds(1));
    FakeHub.Stream s2 = welcomed();
    clock.advance(Duration.ofSeconds(11)); // longer than healthyAfter (10 s)
    Await.until("heartbeats flowing", () -> s2.heartbeats() >= 10);
    s2.fail(Status.UNAVAILABLE);
    awaitRetryScheduled(2);
    assertThat(backoff.resets.get()).isEqualTo(1);
  }

  @Test
  void noWelcome_withinTheTimeout_abandonsTheStreamAndRetries() throws Exception {
    start(settings());
    FakeHub.Stream s1 = hub.nextStream(WAIT);
    assertThat(s1.next().hasHello()).isTrue();
    clock.advance(Duration.ofSeconds(15));
    Await.until("stream cancelled", () -> s1.endedWith() != null);
    awaitRetryScheduled(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(hub.nextStream(WAIT).next().hasHello()).isTrue();
  }

  @Test
  void frameBeforeWelcome_isAProtocolViolation() throws Exception {
    start(settings());
    FakeHub.Stream s1 = hub.nextStream(WAIT);
    assertThat(s1.next().hasHello()).isTrue();
    assign(s1, echo("early", "x"));
    Await.until("stream cancelled", () -> s1.endedWith() != null);
    assertThat(s1.all()).hasSize(1); // only the Hello
  }

  @Test
  void shutdown_stopsRunningTasks_andSendsNothingNew() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    assign(s, shellTask("s-1"));
    assertThat(s.next().hasTaskAccepted()).isTrue();
    assertThat(s.next().hasTaskStarted()).isTrue();
    agent.shutdown().get(10, TimeUnit.SECONDS);
    assertThat(held("s-1").stoppedFor).isEqualTo(StopReason.AGENT_SHUTDOWN);
    Await.until("node closed its side", s::completedByNode);
    assertThat(s.all()).noneMatch(NodeFrame::hasTaskFinished);
  }
}
