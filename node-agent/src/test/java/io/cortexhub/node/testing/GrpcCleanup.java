package io.cortexhub.node.testing;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes servers, channels and executors registered during a test, newest first. Use with
 * {@code @RegisterExtension}.
 */
public final class GrpcCleanup implements AfterEachCallback {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  public <T extends Server> T register(T server) {
    resources.push(() -> {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    });
    return server;
  }

  public <T extends ManagedChannel> T register(T channel) {
    resources.push(() -> {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    });
    return channel;
  }

  public <T extends ExecutorService> T register(T executor) {
    resources.push(executor::shutdownNow);
    return executor;
  }

  public void onClose(AutoCloseable closeable) {
    resources.push(closeable);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
