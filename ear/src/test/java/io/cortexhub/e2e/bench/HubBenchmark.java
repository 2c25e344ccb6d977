package io.cortexhub.e2e.bench;

import io.cortexhub.e2e.support.Artifacts;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.ManagedProcess;
import io.cortexhub.e2e.support.Scratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spine's benchmark: a real hub on Payara Micro (H2), a fleet of simulated nodes in one JVM ({@code
 * cortex-node simulate}: real gRPC streams and heartbeats), and the echo load driver.
 *
 * <p>Measures: nodes held and hub heap per node (live heap after a full GC, with the fleet minus without);
 * echo tasks per second end-to-end at full speed; latency p50/p99 at a fixed rate.
 *
 * <p>System properties: {@code bench.nodes} (10000), {@code bench.seconds} (20 per load run), {@code
 * bench.rate} (500 tasks/s for the latency run), {@code bench.inflight} (64 concurrent submits).
 */
public final class HubBenchmark {
  private HubBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = Integer.getInteger("bench.nodes", 10_000);
    Duration runTime = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    double rate = Double.parseDouble(System.getProperty("bench.rate", "500"));
    int inFlight = Integer.getInteger("bench.inflight", 64);

    Path dir = Scratch.newDir("bench");
    HubProcess.Settings settings =
        HubProcess.Settings.defaults(dir.resolve("hub"))
            .withHeartbeat(Duration.ofSeconds(5))
            .withJvmArgs(List.of("-Xmx4g", "-XX:+UseG1GC"));
    try (HubProcess hub = HubProcess.start(settings)) {
      HubClient client = new HubClient(hub.restBase());
      long pid = hub.process().pid();
      long baseline = liveHeapBytes(pid);
      System.out.printf("hub live heap with no nodes: %.1f MB%n", baseline / 1e6);

      List<String> simulate =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g", "-jar",
              Artifacts.nodeJar().toString(), "simulate", "--hub", hub.tunnelAddress(), "--count",
              Integer.toString(nodes), "--ca-file", hub.caFile().toString());
      try (ManagedProcess fleet = ManagedProcess.start("simulate", simulate, Map.of(), dir, dir.resolve("simulate.log"))) {
        long t0 = System.nanoTime();
        Await.value(
            nodes + " simulated nodes ONLINE",
            Duration.ofMinutes(10),
            () -> {
              long online = client.nodes().stream().filter(n -> "ONLINE".equals(n.path("state").asText())).count();
              return online >= nodes ? Optional.of(online) : Optional.empty();
            });
        System.out.printf("%d nodes ONLINE after %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
        long withFleet = liveHeapBytes(pid);
        System.out.printf(
            "hub live heap with %d nodes: %.1f MB -> %.1f KB per node%n",
            nodes, withFleet / 1e6, (withFleet - baseline) / 1e3 / nodes);

        EchoLoad load = new EchoLoad(hub.restBase());
        System.out.println(load.run("warm-up", Duration.ofSeconds(5), 0, inFlight));
        System.out.println(load.run("full speed", runTime, 0, inFlight));
        System.out.println(load.run(String.format("fixed %.0f/s", rate), runTime, rate, inFlight));
        System.out.println("fleet still connected: " + fleet.isAlive());
      }
    }
  }

  /** Heap in use right after a full collection, as {@code jcmd GC.heap_info} reports it. */
  static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("cannot read heap usage from: " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }
}
