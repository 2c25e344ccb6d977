package io.cortexhub.node.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Append cost per record, with and without fsync batching; then the cost of reopening and of
 * verifying the resulting log. Wall time includes waiting for fsync (and, on a shared machine,
 * for a CPU); CPU time is what the appending threads themselves spent. Not a test: run by hand,
 *
 * <pre>java -cp ... io.cortexhub.node.audit.AuditAppendBenchmark [records] [fsyncRecords] [dir]</pre>
 *
 * Records look like the agent's (a process.started with argv, cwd, pid; about 300 bytes); a
 * checkpoint signed with EC P-256 every 100 records, as the agent defaults.
 */
public final class AuditAppendBenchmark {
  private static final int CHECKPOINT_EVERY = 100;

  private AuditAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING);
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int syncedRecords = args.length > 1 ? Integer.parseInt(args[1]) : records;
    Path base = Files.createTempDirectory(args.length > 2 ? Path.of(args[2]) : Path.of("target"), "audit-bench-");
    KeyPair keys = AuditFixtures.ecKeyPair();
    CheckpointSigner signer = new KeyCheckpointSigner(keys.getPrivate());
    System.out.printf("audit append benchmark: %,d records, checkpoint every %d (%s), in %s, %d cores%n",
        records, CHECKPOINT_EVERY, signer.algorithm(), base, Runtime.getRuntime().availableProcessors());

    run(base, "warm-up", signer, 20_000, FsyncPolicy.batched(1000), 1);
    Path main = run(base, "fsync every 1000 records, 1 thread", signer, records, FsyncPolicy.batched(1000), 1);
    run(base, "fsync every 100 records, 1 thread", signer, records, FsyncPolicy.batched(100), 1);
    run(base, "fsync every append, 1 thread", signer, syncedRecords, FsyncPolicy.everyAppend(), 1);
    run(base, "fsync every append, 8 threads (group commit)", signer, syncedRecords, FsyncPolicy.everyAppend(), 8);

    long t0 = System.nanoTime();
    AuditLog reopened = AuditLog.open(main, signer, CHECKPOINT_EVERY, Clock.systemUTC(), CheckpointSink.none());
    long openNs = System.nanoTime() - t0;
    reopened.close();
    t0 = System.nanoTime();
    VerificationReport report = new AuditVerifier(Optional.of(keys.getPublic()), List.of()).verify(main);
    long verifyNs = System.nanoTime() - t0;
    System.out.printf("reopen (find the newest checkpoint, verify the tail) of %,d lines: %,d ms%n", report.records(), openNs / 1_000_000);
    System.out.printf("audit verify with signatures of %,d lines, %,d checkpoints: %,d ms, ok=%s%n",
        report.records(), report.logCheckpoints(), verifyNs / 1_000_000, report.ok());
    deleteTree(base);
  }

  private static Path run(Path base, String name, CheckpointSigner signer, int records, FsyncPolicy fsync, int threads)
      throws Exception {
    Path file = base.resolve(name.replaceAll("[^a-z0-9]+", "-")).resolve("audit.log");
    AuditLog log = AuditLog.open(file, signer, CHECKPOINT_EVERY, Clock.systemUTC(), CheckpointSink.none(), fsync);
    AtomicInteger next = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong cpuNs = new java.util.concurrent.atomic.AtomicLong();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        go.await();
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int i = next.getAndIncrement(); i < records; i = next.getAndIncrement()) {
          log.append(AuditTypes.PROCESS_STARTED, "task-" + (i / 6), Map.of(
              "argv", List.of("/usr/bin/git", "log", "--oneline", "-n", "20"),
              "cwd", "/home/alice/workspace/project-" + (i % 7),
              "pid", 100_000 + i,
              "isolation", "bubblewrap"));
        }
        cpuNs.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
        return null;
      }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    log.close();
    long ns = System.nanoTime() - t0;
    pool.shutdown();
    long bytes = Files.size(file);
    long lines = log.size();
    System.out.printf("%-46s %,8d appends in %,7d ms: wall %7.2f us/append (%,7.0f/s), cpu %5.2f us/append;"
            + " %,d lines of %,d bytes%n",
        name, records, ns / 1_000_000, ns / 1000.0 / records, records * 1e9 / ns, cpuNs.get() / 1000.0 / records,
        lines, bytes / Math.max(1, lines));
    return file;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
