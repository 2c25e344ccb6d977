package io.cortexhub.node.sandbox;

import com.google.protobuf.ByteString;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.ResourceLimits;
import io.cortexhub.node.task.ProcessTreeKiller;
import io.cortexhub.node.task.ShellRunner;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Round trip of a {@code true} task through {@link ShellRunner} (policy check, task directory,
 * quota, sandbox, start, exit, clean-up, result) at each isolation level this machine offers.
 * Run as root on Linux: {@code java -cp ... io.cortexhub.node.sandbox.IsolationBenchmark [runs]}.
 */
public final class IsolationBenchmark {
  private IsolationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int warmup = Math.max(10, runs / 10);
    Path work = Files.createTempDirectory("cortex-bench");
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    ExecutorService io = Executors.newCachedThreadPool();
    IsolationReport best = new IsolationProbe().probe();
    System.out.println("machine: " + best.describe());
    System.out.printf("%-34s %6s %8s %8s %8s %8s%n", "level (quotas)", "runs", "p50 ms", "p95 ms", "p99 ms", "max ms");
    List<Case> cases = List.of(
        new Case("none (no quotas, no policy drop)", IsolationReport.none(true, "baseline"), false),
        new Case("none + cgroup", new IsolationReport(IsolationLevel.NONE, true, Map.of(), best.quotas(), List.of()), false),
        new Case("setpriv + cgroup", new IsolationProbe(Set.of(Primitive.BUBBLEWRAP, Primitive.UNSHARE)).probe(), true),
        new Case("unshare + cgroup", new IsolationProbe(Set.of(Primitive.BUBBLEWRAP)).probe(), true),
        new Case("bubblewrap + cgroup", best, true),
        new Case("bubblewrap (no quotas)",
            new IsolationReport(best.level(), best.root(), best.tools(), QuotaMechanism.NONE, List.of()), true));
    try {
      for (Case c : cases) {
        NodePolicy policy = TestPolicies.allowing(List.of(), "true")
            .withRunAsUser(c.dropToNobody() ? Optional.of("nobody") : Optional.empty())
            .withDefaultLimits(new ResourceLimits(256L << 20, 1000, 64, Duration.ofMinutes(1)));
        ShellRunner runner = new ShellRunner(Clock.systemUTC(), timers, io, new Random(1), new ProcessTreeKiller(),
            policy, c.report(), QuotaController.forReport(c.report()));
        long[] nanos = new long[runs];
        for (int i = -warmup; i < runs; i++) {
          long t0 = System.nanoTime();
          TaskResult r = once(runner, work, c.name().replaceAll("\\W", "") + i);
          long dt = System.nanoTime() - t0;
          if (r.outcome() != TaskOutcome.TASK_OUTCOME_SUCCEEDED) {
            throw new IllegalStateException(c.name() + ": " + r);
          }
          if (i >= 0) {
            nanos[i] = dt;
          }
        }
        Arrays.sort(nanos);
        System.out.printf("%-34s %6d %8.1f %8.1f %8.1f %8.1f%n", c.name() + " [" + c.report().level().wireName() + "]",
            runs, ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99), nanos[runs - 1] / 1e6);
      }
    } finally {
      timers.shutdownNow();
      io.shutdownNow();
    }
  }

  private record Case(String name, IsolationReport report, boolean dropToNobody) {}

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private static TaskResult once(ShellRunner runner, Path work, String id) throws Exception {
    CompletableFuture<TaskResult> done = new CompletableFuture<>();
    TaskSpec spec = TaskSpec.newBuilder().setTaskId(id).setCapability("shell")
        .setShell(ShellPayload.newBuilder().addArgv("true")).build();
    runner.start(spec, work.resolve(id), new TaskEvents() {
      @Override
      public void started(long startedAtUnixMs, long pid) {}

      @Override
      public void output(OutputStream stream, ByteString data) {}

      @Override
      public void finished(TaskResult result) {
        done.complete(result);
      }
    });
    return done.get(30, TimeUnit.SECONDS);
  }
}
