package io.cortexhub.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AuditQueriesTest {
  private final FakeClock clock = new FakeClock();
  private final List<AuditQueries.QueryFrame> sent = new ArrayList<>();
  private final NodeId node = new NodeId("n-a");
  private final AuditQueries queries = new AuditQueries(
      (n, q) -> n.equals(node) && sent.add(q), clock, new Random(1),
      Duration.ofSeconds(10));

  @Test
  void answerInSeveralFrames_completesWithAllRecordsInOrder() throws Exception {
    CompletableFuture<List<String>> result = queries.query(node, new TaskId("t1"));
    String id = sent.get(0).queryId();
    assertThat(sent.get(0).task()).isEqualTo(new TaskId("t1"));

    queries.answer(node, id, List.of("{\"seq\":1}", "{\"seq\":2}"), false, "");
    assertThat(result).isNotDone();
    queries.answer(node, id, List.of("{\"seq\":3}"), true, "");

    assertThat(result.get()).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    assertThat(queries.pendingCount()).isZero();
  }

  @Test
  void disconnectedNode_failsAtOnce() {
    CompletableFuture<List<String>> result = queries.query(new NodeId("n-gone"), new TaskId("t1"));

    assertThat(result).isCompletedExceptionally();
    assertThat(failure(result)).hasMessageContaining("not connected");
  }

  @Test
  void silentNode_failsAfterTheTimeout() {
    CompletableFuture<List<String>> result = queries.query(node, new TaskId("t1"));
    clock.advance(Duration.ofSeconds(9));
    queries.expire();
    assertThat(result).isNotDone();

    clock.advance(Duration.ofSeconds(2));
    queries.expire();

    assertThat(failure(result)).hasMessageContaining("did not answer");
    assertThat(queries.pendingCount()).isZero();
  }

  @Test
  void answerFromAnotherNode_isIgnored() {
    CompletableFuture<List<String>> result = queries.query(node, new TaskId("t1"));

    queries.answer(new NodeId("n-evil"), sent.get(0).queryId(), List.of("{}"), true, "");

    assertThat(result).isNotDone();
  }

  @Test
  void nodeError_failsTheQueryWithItsReason() {
    CompletableFuture<List<String>> result = queries.query(node, new TaskId("t1"));

    queries.answer(node, sent.get(0).queryId(), List.of(), true, "audit log unreadable");

    assertThat(failure(result)).hasMessageContaining("audit log unreadable");
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
