package io.cortexhub.node.fs;

import io.cortexhub.proto.node.v1.FsPayload;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;

/**
 * A second agent process for the cross-process tests: runs fs tasks on a shared root, or holds a
 * file's lock until told to let go.
 *
 * <pre>
 * append    ROOT FILE WRITER COUNT SIZE   append COUNT records of SIZE bytes
 * increment ROOT FILE COUNT               compare-and-swap increment a counter COUNT times
 * hold      ROOT FILE                     lock FILE, print "locked", wait for a line on stdin,
 *                                         append "holder\n" to FILE, release, print "released"
 * </pre>
 */
@SuppressWarnings("try") // the held lock is the point of the "hold" block
public final class FsWorkerMain {
  private FsWorkerMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[1]);
    String file = args[2];
    switch (args[0]) {
      case "append" -> {
        int writer = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int size = Integer.parseInt(args[5]);
        for (int i = 0; i < count; i++) {
          FsHarness.Run r = run(root, Ops.append(Ops.data(file, FsConcurrencyTest.record(writer, i, size))));
          if (!r.succeeded()) {
            throw new IllegalStateException("append failed: " + r.detail());
          }
        }
      }
      case "increment" -> System.out.println("conflicts " + Increments.run(p -> run(root, p), file, Integer.parseInt(args[3])));
      case "hold" -> {
        Target t = new WorkspaceRoots(List.of(new FsRoot(root, true))).resolve(file, WorkspaceRoots.Access.WRITE);
        try (FileLocks.Held held = FileLocks.JVM.acquire(List.of(t))) {
          System.out.println("locked");
          System.out.flush();
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          Files.writeString(t.absolute(), "holder\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.out.println("released");
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.flush();
  }

  /** Runs one task inline (direct executor) and returns what it reported. */
  private static FsHarness.Run run(Path root, FsPayload payload) throws Exception {
    FsRunner runner = new FsRunner(List.of(new FsRoot(root, true)), FsLimits.DEFAULTS, FileChangeListener.NONE,
        Clock.systemUTC(), Runnable::run);
    FsHarness.Events events = new FsHarness.Events();
    runner.start(FsHarness.spec("worker-task", payload, 0), root, events);
    return events.await();
  }
}
