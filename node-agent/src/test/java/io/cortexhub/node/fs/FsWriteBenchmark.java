package io.cortexhub.node.fs;

import com.google.protobuf.ByteString;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures fs write throughput with everything a write does: advisory locks (stripe + lock file),
 * hashing the old and new content, temp file, fsync, rename, directory fsync. Not a test: run it by
 * hand ({@code java -cp ... io.cortexhub.node.fs.FsWriteBenchmark [dir] [seconds-per-case] [case]},
 * a case named like {@code write-4096-1} or {@code write-4096-4-same}). "CPU ms/op" is the measuring
 * threads' CPU time per operation, which a loaded machine does not inflate.
 *
 * <p>Each thread writes its own file unless the case says "same file"; every operation is a real
 * {@link FsRunner} task run inline on the measuring thread. The "raw" rows are the floor on the same
 * disk: temp file, fsync, rename and directory fsync in plain NIO, with no locks, hashing or checks.
 */
public final class FsWriteBenchmark {
  private FsWriteBenchmark() {}

  private record Case(String op, int size, int threads, boolean sameFile) {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("fs-bench");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    String only = args.length > 2 ? args[2] : "";
    FsRunner runner = new FsRunner(List.of(new FsRoot(dir, true)), new FsLimits(64L << 20, 64L << 20, 1000),
        FileChangeListener.NONE, Clock.systemUTC(), Runnable::run);
    List<Case> cases = List.of(
        new Case("raw", 4096, 1, false),
        new Case("write", 4096, 1, false),
        new Case("write", 4096, 4, false),
        new Case("raw", 1 << 20, 1, false),
        new Case("write", 1 << 20, 1, false),
        new Case("write", 1 << 20, 4, false),
        new Case("write", 4096, 4, true),
        new Case("append", 4096, 1, false),
        new Case("append", 4096, 4, true));
    System.out.printf("fs write benchmark in %s (%s), %.1f s per case, %d cores, JDK %s%n", dir,
        Files.getFileStore(dir).type(), seconds, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.printf("%-7s %8s %7s %-5s %8s %8s %9s %11s%n", "op", "size", "threads", "file", "ops/s", "MB/s",
        "wall ms", "CPU ms/op");
    for (Case c : cases) {
      String label = c.op() + "-" + c.size() + "-" + c.threads() + (c.sameFile() ? "-same" : "");
      if (!only.isEmpty() && !label.equals(only)) {
        continue;
      }
      run(runner, dir, c, seconds / 3); // warm-up
      long[] r = run(runner, dir, c, seconds);
      double secs = r[1] / 1e9;
      double opsPerSec = r[0] / secs;
      System.out.printf("%-7s %8s %7d %-5s %8.0f %8.1f %9.2f %11.2f%n", c.op(), c.size() >= 1 << 20 ? "1 MiB" : "4 KiB",
          c.threads(), c.sameFile() ? "same" : "own", opsPerSec, opsPerSec * c.size() / 1e6,
          1000.0 * c.threads() / opsPerSec, r[2] / 1e6 / r[0]);
    }
  }

  /** Returns {operations, elapsed nanos, CPU nanos of the measuring threads}. */
  private static long[] run(FsRunner runner, Path dir, Case c, double seconds) throws Exception {
    byte[] data = new byte[c.size()];
    new Random(1).nextBytes(data);
    AtomicLong ops = new AtomicLong();
    AtomicLong cpu = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    long duration = (long) (seconds * 1e9);
    for (int t = 0; t < c.threads(); t++) {
      String file = c.sameFile() ? "bench-same" : "bench-" + t;
      Files.deleteIfExists(dir.resolve(file));
      Thread th = new Thread(() -> {
        try {
          go.await();
          long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
          long end = System.nanoTime() + duration;
          int i = 0;
          while (System.nanoTime() < end) {
            // Appends restart the file now and then so it does not grow without bound.
            boolean restart = c.op().equals("append") && i++ % 1000 == 0;
            if (c.op().equals("raw")) {
              rawReplace(dir, file, data);
            } else {
              FsPayload p = c.op().equals("write") || restart ? Ops.write(Ops.data(file, data)) : Ops.append(Ops.data(file, data));
              runOne(runner, dir, p);
            }
            ops.incrementAndGet();
          }
          cpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "bench-" + t);
      threads.add(th);
      th.start();
    }
    window[0] = System.nanoTime();
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    window[1] = System.nanoTime();
    return new long[] {ops.get(), window[1] - window[0], cpu.get()};
  }

  /** The floor: temp file, fsync, rename, directory fsync; no locks, no hashing, no checks. */
  private static void rawReplace(Path dir, String file, byte[] data) throws java.io.IOException {
    Path tmp = dir.resolve(file + ".raw-tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(data));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static void runOne(FsRunner runner, Path dir, FsPayload p) {
    TaskResult[] result = new TaskResult[1];
    runner.start(FsHarness.spec("bench", p, 0), dir, new TaskEvents() {
      @Override
      public void started(long at, long pid) {}

      @Override
      public void output(OutputStream stream, ByteString data) {}

      @Override
      public void finished(TaskResult r) {
        result[0] = r;
      }
    });
    if (result[0] == null || result[0].outcome() != TaskOutcome.TASK_OUTCOME_SUCCEEDED) {
      throw new IllegalStateException("operation failed: " + (result[0] == null ? "no result" : result[0].detail()));
    }
  }
}
