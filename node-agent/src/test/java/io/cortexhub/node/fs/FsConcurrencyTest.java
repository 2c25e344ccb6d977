package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Many tasks of this agent on one file at once: readers see whole files, writers never interleave. */
@EnabledOnOs(OS.LINUX)
class FsConcurrencyTest {
  private static final int BIG = 2 << 20;

  @TempDir Path ws;
  FsHarness fs;
  ExecutorService threads;

  @BeforeEach
  void setUp() {
    fs = FsHarness.writable(ws);
    threads = Executors.newFixedThreadPool(6);
  }

  @AfterEach
  void tearDown() throws Exception {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    fs.close();
  }

  @Test
  void readersNeverSeeAHalfWrittenFile() throws Exception {
    byte[] as = filled('A');
    byte[] bs = filled('B');
    assertThat(fs.run(Ops.write(Ops.data("big.bin", as))).succeeded()).isTrue();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> torn = new CopyOnWriteArrayList<>();
    Set<Byte> seen = ConcurrentHashMap.newKeySet();
    List<Future<?>> writers = new ArrayList<>();
    for (byte[] content : List.of(as, bs)) {
      writers.add(threads.submit(() -> {
        for (int i = 0; i < 15; i++) {
          FsHarness.Run r = fs.run(Ops.write(Ops.data("big.bin", content)));
          if (!r.succeeded()) {
            torn.add("write failed: " + r.detail());
          }
        }
        return null;
      }));
    }
    // One reader outside the agent (plain open and read), one through the fs read operation.
    Future<Integer> plain = threads.submit(() -> readUntil(writing, () -> Files.readAllBytes(ws.resolve("big.bin")), torn, seen));
    Future<Integer> viaAgent = threads.submit(() -> readUntil(writing, () -> fs.run(Ops.read("big.bin")).stdout(), torn, seen));
    for (Future<?> w : writers) {
      w.get(60, TimeUnit.SECONDS);
    }
    writing.set(false);
    assertThat(plain.get(30, TimeUnit.SECONDS)).isPositive();
    assertThat(viaAgent.get(30, TimeUnit.SECONDS)).isPositive();
    assertThat(torn).isEmpty();
    assertThat(seen).containsExactlyInAnyOrder((byte) 'A', (byte) 'B');
  }

  private interface Reader {
    byte[] read() throws Exception;
  }

  private static int readUntil(AtomicBoolean writing, Reader reader, List<String> torn, Set<Byte> seen) throws Exception {
    int reads = 0;
    while (writing.get() || reads == 0) {
      byte[] got;
      try {
        got = reader.read();
      } catch (NoSuchFileException e) {
        torn.add("file missing during a write: " + e);
        continue;
      }
      reads++;
      if (got.length != BIG) {
        torn.add("read " + got.length + " bytes");
        continue;
      }
      byte first = got[0];
      for (byte b : got) {
        if (b != first) {
          torn.add("mixed content starting with " + (char) first);
          break;
        }
      }
      seen.add(first);
    }
    return reads;
  }

  @Test
  void concurrentAppends_neverInterleaveOrLoseARecord() throws Exception {
    int writers = 4;
    int each = 40;
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      done.add(threads.submit(() -> {
        for (int i = 0; i < each; i++) {
          FsHarness.Run r = fs.run(Ops.append(Ops.data("log", record(id, i, 4096))));
          assertThat(r.succeeded()).as(r.detail()).isTrue();
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertRecords(ws.resolve("log"), writers, each, 4096);
    // The audit trail of the file is one unbroken chain: changes were reported in the order made.
    List<FsHarness.Change> changes = fs.changes;
    assertThat(changes).hasSize(writers * each);
    assertThat(changes.get(0).before()).isEmpty();
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i).before()).as("change %d", i).isEqualTo(changes.get(i - 1).after());
    }
    assertThat(changes.get(changes.size() - 1).after()).contains(Sha256.hex(Files.readAllBytes(ws.resolve("log"))));
  }

  @Test
  void concurrentCompareAndSwapIncrements_loseNoUpdate() throws Exception {
    Files.writeString(ws.resolve("counter"), "0");
    int workers = 4;
    int each = 25;
    List<Future<Integer>> done = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      done.add(threads.submit(() -> Increments.run(fs::run, "counter", each)));
    }
    int conflicts = 0;
    for (Future<Integer> f : done) {
      conflicts += f.get(60, TimeUnit.SECONDS);
    }
    assertThat(ws.resolve("counter")).hasContent(String.valueOf(workers * each));
    assertThat(conflicts).as("compare-and-swap conflicts seen (proof that the workers raced)").isPositive();
  }

  static byte[] filled(char c) {
    byte[] b = new byte[BIG];
    Arrays.fill(b, (byte) c);
    return b;
  }

  /** A record of exactly {@code size} bytes: header, filler that repeats the writer's letter, newline. */
  static byte[] record(int writer, int seq, int size) {
    String head = "W" + writer + "#" + seq + ":";
    StringBuilder b = new StringBuilder(head);
    char fill = (char) ('a' + writer);
    while (b.length() < size - 1) {
      b.append(fill);
    }
    return b.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Asserts the file holds every writer's records whole, each once, each writer's in order. */
  static void assertRecords(Path file, int writers, int each, int size) throws Exception {
    byte[] all = Files.readAllBytes(file);
    assertThat(all.length).isEqualTo(writers * each * size);
    int[] next = new int[writers];
    for (int off = 0; off < all.length; off += size) {
      String rec = new String(all, off, size, StandardCharsets.US_ASCII);
      int w = rec.charAt(1) - '0';
      String expected = new String(record(w, next[w], size), StandardCharsets.US_ASCII);
      assertThat(rec).as("record at byte %d", off).isEqualTo(expected);
      next[w]++;
    }
    assertThat(next).containsOnly(each);
  }
}
