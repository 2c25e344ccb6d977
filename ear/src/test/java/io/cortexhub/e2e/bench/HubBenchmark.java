package io.cortexhub.e2e.bench;

import io.cortexhub.e2e.support.Artifacts;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.ManagedProcess;
import io.cortexhub.e2e.support.Scratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spine's benchmark: a real hub on Payara Micro (H2), a fleet of simulated nodes in one JVM ({@code
 * cortex-node simulate}: real gRPC streams and heartbeats), and the echo load driver.
 *
 * <p>Measures: nodes held and hub heap per node (live heap after a full GC, with the fleet minus without);
 * echo tasks per second end-to-end at full speed; latency p50/p99 at a fixed rate. For each load run it
 * also prints the CPU seconds each process used, since hub, fleet and driver share the same cores.
 *
 * <p>System properties: {@code bench.nodes} (10000), {@code bench.seconds} (20 per load run), {@code
 * bench.rate} (500 tasks/s for the latency run), {@code bench.inflight} (64 concurrent submits), {@code
 * bench.connectRate} (nodes the fleet starts per second, 250), {@code bench.batch} (tasks per {@code POST
 * /tasks/batch} in the batch-submit run, 100; 1 skips that run), {@code bench.batchInflight} (concurrent batch
 * requests, 4), {@code
 * bench.hubHeap} (-Xmx of the hub, 4g), {@code bench.jfr} (a path: record a JFR file of the hub's whole
 * run there), {@code bench.hubJvmArgs} (extra hub JVM arguments, space separated).
 */
public final class HubBenchmark {
  private HubBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = Integer.getInteger("bench.nodes", 10_000);
    Duration runTime = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    double rate = Double.parseDouble(System.getProperty("bench.rate", "500"));
    int inFlight = Integer.getInteger("bench.inflight", 64);
    int connectRate = Integer.getInteger("bench.connectRate", 250);
    int batch = Integer.getInteger("bench.batch", 100);
    int batchInFlight = Integer.getInteger("bench.batchInflight", 4);

    Path dir = Scratch.newDir("bench");
    List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + System.getProperty("bench.hubHeap", "4g"), "-XX:+UseG1GC"));
    String jfr = System.getProperty("bench.jfr", "");
    if (!jfr.isBlank()) {
      jvmArgs.add("-XX:StartFlightRecording=name=hub,filename=" + Path.of(jfr).toAbsolutePath() + ",settings=profile,dumponexit=true");
    }
    String extra = System.getProperty("bench.hubJvmArgs", "");
    if (!extra.isBlank()) {
      jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
    }
    HubProcess.Settings settings =
        HubProcess.Settings.defaults(dir.resolve("hub")).withHeartbeat(Duration.ofSeconds(5)).withJvmArgs(jvmArgs);
    System.out.printf("benchmark: %d nodes, %d CPUs, JDK %s, hub JVM %s, scratch %s%n",
        nodes, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), jvmArgs, dir);
    try (HubProcess hub = HubProcess.start(settings)) {
      HubClient client = new HubClient(hub.restBase()).withLogin(HubProcess.ADMIN_USER, HubProcess.ADMIN_PASSWORD);
      long pid = hub.process().pid();
      long baseline = liveHeapBytes(pid);
      System.out.printf("hub live heap with no nodes: %.1f MB%n", baseline / 1e6);

      // Every simulated node is an enrolled identity (its own key, certificate and mutual TLS connection):
      // one multi-use join token enrolls the fleet, whose identities are cached under its state dir.
      String token = client.createJoinToken("default", Map.of(), nodes, Duration.ofHours(1)).token();
      List<String> simulate =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g", "-jar",
              Artifacts.nodeJar().toString(), "simulate", "--hub", hub.tunnelAddress(), "--count",
              Integer.toString(nodes), "--connect-rate", Integer.toString(connectRate),
              "--join-token", token, "--ca-fingerprint", hub.caFingerprint(),
              "--state-dir", dir.resolve("fleet").toString());
      try (ManagedProcess fleet = ManagedProcess.start("simulate", simulate, Map.of(), dir, dir.resolve("simulate.log"))) {
        long t0 = System.nanoTime();
        awaitOnline(client, fleet, nodes, Duration.ofMinutes(10));
        System.out.printf("%d nodes ONLINE after %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
        long withFleet = liveHeapBytes(pid);
        System.out.printf(
            "hub live heap with %d nodes: %.1f MB -> %.1f KB per node%n",
            nodes, withFleet / 1e6, (withFleet - baseline) / 1e3 / nodes);

        EchoLoad load = new EchoLoad(hub.restBase(), () -> client.authorization().orElseThrow());
        long[] pids = {pid, fleet.pid(), ProcessHandle.current().pid()};
        measured(pids, () -> load.run("warm-up", Duration.ofSeconds(5), 0, inFlight));
        measured(pids, () -> load.run("full speed, single submits", runTime, 0, inFlight));
        if (batch > 1) {
          measured(pids, () -> load.run("full speed, batches of " + batch, runTime, 0, batchInFlight, batch));
        }
        measured(pids, () -> load.run(String.format("fixed %.0f/s", rate), runTime, rate, inFlight));
        long online = online(client);
        System.out.printf("after the load: fleet alive %s, %d of %d nodes ONLINE%n", fleet.isAlive(), online, nodes);
        long afterLoad = liveHeapBytes(pid);
        System.out.printf("hub live heap after the load: %.1f MB%n", afterLoad / 1e6);
        if (!jfr.isBlank()) {
          // The hub is stopped without a JVM shutdown dump, so dumponexit alone leaves an empty file.
          jcmd(pid, "JFR.dump name=hub filename=" + Path.of(jfr).toAbsolutePath());
          System.out.printf("hub JFR recording written to %s%n", Path.of(jfr).toAbsolutePath());
        }
      }
    }
  }

  private interface LoadRun {
    EchoLoad.Result run() throws InterruptedException;
  }

  /** Runs one load and prints its result with the CPU seconds that hub, fleet and driver used meanwhile. */
  private static void measured(long[] pids, LoadRun run) throws InterruptedException {
    double[] before = new double[pids.length];
    for (int i = 0; i < pids.length; i++) {
      before[i] = ProcessCpu.seconds(pids[i]);
    }
    long t0 = System.nanoTime();
    EchoLoad.Result result = run.run();
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.println(result);
    String[] names = {"hub", "fleet", "driver"};
    StringBuilder cpu = new StringBuilder(String.format("  CPU over %.1f s wall (2 cores = %.1f core-s):", wall, 2 * wall));
    for (int i = 0; i < pids.length; i++) {
      cpu.append(String.format(" %s %.1f s", names[i], ProcessCpu.seconds(pids[i]) - before[i]));
    }
    System.out.println(cpu);
  }

  /**
   * Waits until {@code nodes} are ONLINE, polling the node list once a second (the list of 10,000 nodes
   * is itself work for the hub: polling it every 50 ms would slow the very connects being waited for).
   */
  private static void awaitOnline(HubClient client, ManagedProcess fleet, int nodes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    while (true) {
      if (!fleet.isAlive()) {
        throw new IllegalStateException("the simulated fleet exited:\n" + fleet.logTail(40));
      }
      long online;
      try {
        online = online(client);
      } catch (RuntimeException e) {
        online = -1;
      }
      if (online >= nodes) {
        return;
      }
      if (online != last) {
        System.out.printf("  %d nodes ONLINE%n", online);
        last = online;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "only " + online + " of " + nodes + " nodes ONLINE after " + timeout + "\n" + fleet.logTail(20));
      }
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
    }
  }

  private static long online(HubClient client) {
    return client.nodes().stream().filter(n -> "ONLINE".equals(n.path("state").asText())).count();
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
