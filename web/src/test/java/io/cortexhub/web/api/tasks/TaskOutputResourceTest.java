package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.output.OutputStreamKind;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.testing.FakeSse;
import io.cortexhub.web.testing.FakeTaskOutputService;
import io.cortexhub.web.testing.FakeTaskService;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import io.cortexhub.web.testing.FakeSecurity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskOutputResourceTest {

  private static final TaskId TASK = new TaskId("t-1");
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final MutableClock clock = new MutableClock(Views.T0);
  private final FakeTaskService tasks = new FakeTaskService(clock);
  private final FakeTaskOutputService output = new FakeTaskOutputService();
  private final TaskOutputResource resource = new TaskOutputResource(tasks, output,
      new SseKeepAlive(KEEP_ALIVE, clock.scheduler()));
  private final FakeSse sse = new FakeSse();

  @BeforeEach
  void storedOutput() {
    tasks.put(Views.task(TASK.value(), TaskState.RUNNING));
    output.emit(TASK, OutputStreamKind.STDOUT, "one\n");
    output.emit(TASK, OutputStreamKind.STDERR, "two\n");
    output.emit(TASK, OutputStreamKind.STDOUT, "three\n");
  }

  @Test
  void follow_replaysFromTheGivenSeqInclusive() {
    resource.follow(TASK.value(), "2", null, sse, sse, FakeSecurity.admin());

    assertThat(sse.sent()).extracting(OutboundSseEvent::getId).containsExactly("2", "3");
    assertThat(sse.sent()).extracting(OutboundSseEvent::getName)
        .containsExactly("stderr", "stdout");
    assertThat(sse.sent()).extracting(OutboundSseEvent::getData)
        .containsExactly("two\n", "three\n");
  }

  @Test
  void follow_resumesAfterLastEventIdWhichWinsOverFrom() {
    resource.follow(TASK.value(), "1", "2", sse, sse, FakeSecurity.admin());

    assertThat(sse.sent()).extracting(OutboundSseEvent::getId).containsExactly("3");
  }

  @Test
  void follow_relaysLiveChunksThenAFinishedEventAndCloses() {
    resource.follow(TASK.value(), null, null, sse, sse, FakeSecurity.admin());
    output.emit(TASK, OutputStreamKind.STDOUT, "four\n");

    output.finish(Views.task(TASK.value(), TaskState.SUCCEEDED));

    assertThat(sse.sent()).extracting(OutboundSseEvent::getId)
        .containsExactly("1", "2", "3", "4", null);
    OutboundSseEvent finished = sse.sent().get(4);
    assertThat(finished.getName()).isEqualTo("finished");
    assertThat(finished.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
    assertThat(((TaskJson) finished.getData()).state()).isEqualTo("SUCCEEDED");
    assertThat(sse.isClosed()).isTrue();
    assertThat(output.openSubscriptions()).isZero();
  }

  @Test
  void clientGoingAway_endsTheSubscription() {
    resource.follow(TASK.value(), null, null, sse, sse, FakeSecurity.admin());
    sse.disconnect();

    output.emit(TASK, OutputStreamKind.STDOUT, "four\n");

    assertThat(output.openSubscriptions()).isZero();
    assertThat(sse.isClosed()).isTrue();
  }

  @Test
  void subscriberFallingBehind_isClosedSoItCanResume() {
    resource.follow(TASK.value(), null, null, sse, sse, FakeSecurity.admin());

    output.overflow(TASK);

    assertThat(sse.isClosed()).isTrue();
    assertThat(output.openSubscriptions()).isZero();
  }

  @Test
  void silentTask_getsAKeepAliveCommentEveryInterval() {
    followAfterStoredOutput();

    clock.advance(KEEP_ALIVE.minusSeconds(1));
    assertThat(keepAlives()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(keepAlives()).isOne();
    clock.advance(KEEP_ALIVE.multipliedBy(2));
    assertThat(keepAlives()).isEqualTo(3);

    OutboundSseEvent comment = sse.sent().get(sse.sent().size() - 1);
    assertThat(comment.getComment()).isEqualTo("keep-alive");
    assertThat(comment.getData()).isNull();
    assertThat(comment.getId()).isNull();
    assertThat(comment.getName()).isNull();
    assertThat(output.openSubscriptions()).isOne();
  }

  @Test
  void clientVanishingWhileTheTaskIsSilent_isNoticedByTheKeepAlive_andItsSubscriptionClosed() {
    followAfterStoredOutput();
    sse.disconnect();

    clock.advance(KEEP_ALIVE);

    assertThat(output.openSubscriptions()).isZero();
    assertThat(sse.isClosed()).isTrue();
    assertThat(clock.pendingTasks()).as("keep-alive ticks left scheduled").isZero();
  }

  @Test
  void keepAlive_isSkippedWhileOutputFlows() {
    followAfterStoredOutput();

    clock.advance(KEEP_ALIVE.minusSeconds(5));
    output.emit(TASK, OutputStreamKind.STDOUT, "four\n");
    clock.advance(Duration.ofSeconds(5));
    assertThat(keepAlives()).as("a chunk went out within the interval").isZero();

    clock.advance(KEEP_ALIVE);
    assertThat(keepAlives()).as("an interval without output").isOne();
  }

  @Test
  void finishedStream_stopsItsKeepAlive_andEndsWithTheFinishedEvent() {
    followAfterStoredOutput();
    clock.advance(KEEP_ALIVE);

    output.finish(Views.task(TASK.value(), TaskState.SUCCEEDED));
    clock.advance(KEEP_ALIVE.multipliedBy(4));

    assertThat(keepAlives()).isOne();
    assertThat(sse.sent().get(sse.sent().size() - 1).getName()).isEqualTo("finished");
    assertThat(sse.isClosed()).isTrue();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void overflowedStream_stopsItsKeepAlive() {
    followAfterStoredOutput();

    output.overflow(TASK);
    clock.advance(KEEP_ALIVE.multipliedBy(2));

    assertThat(keepAlives()).isZero();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void follow_unknownTask_throwsUnknownTaskBeforeStreaming() {
    assertThatThrownBy(() -> resource.follow("nope", null, null, sse, sse, FakeSecurity.admin()))
        .isInstanceOf(UnknownTaskException.class);
    assertThat(sse.sent()).isEmpty();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void follow_rejectsAFromBelowOneAndANonNumericLastEventId() {
    assertThatThrownBy(() -> resource.follow(TASK.value(), "0", null, sse, sse, FakeSecurity.admin()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("from");
    assertThatThrownBy(() -> resource.follow(TASK.value(), null, "abc", sse, sse, FakeSecurity.admin()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Last-Event-ID");
  }

  @Test
  void read_returnsStoredChunksFromSeqWithinTheLimit() {
    assertThat(resource.read(TASK.value(), "2", "1", FakeSecurity.admin()))
        .containsExactly(new OutputChunkJson(2, "stderr", "two\n", "utf-8", Views.T0));
    assertThat(resource.read(TASK.value(), null, null, FakeSecurity.admin())).hasSize(3);
  }

  @Test
  void read_rejectsALimitOutOfRange() {
    assertThatThrownBy(() -> resource.read(TASK.value(), null, "10001", FakeSecurity.admin()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
  }

  /** A client that has seen the stored output already: the task is silent from here on. */
  private void followAfterStoredOutput() {
    resource.follow(TASK.value(), null, "3", sse, sse, FakeSecurity.admin());
    assertThat(sse.sent()).isEmpty();
  }

  private long keepAlives() {
    return sse.sent().stream().filter(e -> e.getComment() != null).count();
  }
}
