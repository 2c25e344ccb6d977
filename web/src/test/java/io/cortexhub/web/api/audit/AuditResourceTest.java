package io.cortexhub.web.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.audit.AuditUnavailableException;
import io.cortexhub.hub.audit.NodeAuditService;
import io.cortexhub.hub.audit.StoredCheckpoint;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.testing.FakeNodeDirectory;
import io.cortexhub.web.testing.FakeTaskService;
import io.cortexhub.web.testing.Views;
import io.cortexhub.web.testing.FakeSecurity;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.TimeoutHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditResourceTest {
  private final CompletableFuture<List<String>> answer = new CompletableFuture<>();
  private final FakeTaskService tasks = new FakeTaskService(Clock.systemUTC());
  private final AuditResource resource = new AuditResource(new NodeAuditService() {
    @Override
    public List<StoredCheckpoint> checkpoints(NodeId node) {
      return List.of(new StoredCheckpoint(node, 100, new byte[] {(byte) 0xab, 0x01},
          new byte[] {0x02}, Instant.ofEpochMilli(1_000), new byte[] {1, 2, 3},
          "SHA256withECDSA", Instant.ofEpochMilli(2_000)));
    }

    @Override
    public CompletableFuture<List<String>> taskRecords(TaskId task) {
      return answer;
    }
  }, new FakeNodeDirectory().add(Views.node("n-1", "alpha", NodeState.ONLINE)), tasks);

  @Test
  void checkpoints_areHexAndBase64_asTheVerifierReadsThem() {
    CheckpointJson c = resource.checkpoints("n-1", FakeSecurity.admin()).get(0);

    assertThat(c.treeSize()).isEqualTo(100);
    assertThat(c.rootHash()).isEqualTo("ab01");
    assertThat(c.signature()).isEqualTo("AQID");
    assertThat(c.createdAtUnixMs()).isEqualTo(1_000);
  }

  @Test
  void checkpointsOfAnUnknownNode_are404() {
    assertThatThrownBy(() -> resource.checkpoints("n-404", FakeSecurity.admin()))
        .isInstanceOf(UnknownNodeException.class);
  }

  @Test
  void taskRecords_areReturnedAsNdjson() {
    tasks.put(Views.task("t-1", TaskState.SUCCEEDED));
    CapturingResponse response = new CapturingResponse();
    resource.taskRecords("t-1", response, FakeSecurity.admin());

    answer.complete(List.of("{\"seq\":1}", "{\"seq\":2}"));

    assertThat(response.value).isEqualTo("{\"seq\":1}\n{\"seq\":2}\n");
  }

  @Test
  void unreachableNode_resumesWithTheDomainException_notAWrapper() {
    tasks.put(Views.task("t-1", TaskState.SUCCEEDED));
    CapturingResponse response = new CapturingResponse();
    resource.taskRecords("t-1", response, FakeSecurity.admin());

    answer.completeExceptionally(new AuditUnavailableException("node n-1 is not connected"));

    assertThat(response.value).isInstanceOf(AuditUnavailableException.class);
  }

  @Test
  void recordsOfAnUnknownTask_are404() {
    assertThatThrownBy(
        () -> resource.taskRecords("t-404", new CapturingResponse(), FakeSecurity.admin()))
        .isInstanceOf(UnknownTaskException.class);
  }

  /** Records what the resource resumed with. */
  private static final class CapturingResponse implements AsyncResponse {
    volatile Object value;

    @Override
    public boolean resume(Object response) {
      value = response;
      return true;
    }

    @Override
    public boolean resume(Throwable response) {
      value = response;
      return true;
    }

    @Override
    public boolean cancel() {
      return false;
    }

    @Override
    public boolean cancel(int retryAfter) {
      return false;
    }

    @Override
    public boolean cancel(Date retryAfter) {
      return false;
    }

    @Override
    public boolean isSuspended() {
      return value == null;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return value != null;
    }

    @Override
    public boolean setTimeout(long time, TimeUnit unit) {
      return true;
    }

    @Override
    public void setTimeoutHandler(TimeoutHandler handler) {}

    @Override
    public Collection<Class<?>> register(Class<?> callback) {
      return List.of();
    }

    @Override
    public Map<Class<?>, Collection<Class<?>>> register(Class<?> callback, Class<?>... callbacks) {
      return Map.of();
    }

    @Override
    public Collection<Class<?>> register(Object callback) {
      return List.of();
    }

    @Override
    public Map<Class<?>, Collection<Class<?>>> register(Object callback, Object... callbacks) {
      return Map.of();
    }
  }
}
