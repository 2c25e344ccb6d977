package io.cortexhub.node.fs;

import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@code fs} capability: runs one file operation from {@link TaskSpec#getFs()} (list, stat, read,
 * write, append, patch, mkdir, move, delete) confined to the workspace roots.
 *
 * <p>Results: {@code read} sends the file's bytes as stdout; every other operation sends one JSON
 * document on stdout ({@code {"op":"write","path":...,"sha256Before":...,"sha256After":...}}). The
 * task then ends {@code SUCCEEDED} with exit code 0. A refused or failed operation ends {@code
 * FAILED} with a detail such as {@code "refused: /ws/link is a symbolic link; links are never
 * followed"} and changes nothing; the runner never throws.
 *
 * <p>Confinement, in two halves. Lexically ({@link WorkspaceRoots}): {@code ..} is refused, relative
 * paths start at the first root, absolute paths must lie in a root element by element (so {@code
 * /ws-evil} and {@code /proc/self/root/ws} are outside {@code /ws}), writes need a writable root. On
 * disk ({@link OpenDir}): every component is opened relative to its parent's descriptor with {@code
 * O_NOFOLLOW}, so a symbolic link anywhere in the path, including one swapped in during the
 * operation, is refused rather than followed; special files (devices, FIFOs, sockets) and regular
 * files with more than one hard link are refused for reading and writing.
 *
 * <p>What remains racy, honestly: (1) the JDK has no {@code mkdirat}, so directories are created by
 * path and checked afterwards; a task swapping a component for a link at that instant can make the
 * agent create one empty directory elsewhere (detected and reported as a refusal). (2) The hard-link
 * count is read by path and matched to the descriptor's inode before and after opening; a task that
 * swaps a name twice inside that window could still get a hard-linked file read (the kernel's {@code
 * fs.protected_hardlinks=1} keeps a sandboxed task from linking to files it cannot write anyway). (3)
 * Opening a FIFO blocks; a regular file swapped for a FIFO between the check and the open would
 * hang the operation until it is cancelled. (4) Advisory locks bind cortex writers only; a shell task
 * writing the same file is not held back. Confinement of processes comes from the sandbox (bubblewrap
 * mounts), not from here.
 *
 * <p>Thread-safe. Work runs on {@code io}; {@link #start} returns at once.
 */
public final class FsRunner implements TaskRunner {
  public static final String CAPABILITY = "fs";

  private final FsOperations ops;
  private final Clock clock;
  private final Executor io;

  /**
   * @param roots the workspace roots; a relative path is taken from the first
   * @param limits size bounds for reads, writes and listings
   * @param listener told about every change (the audit log); called on the I/O thread under the
   *     file's lock
   * @param clock for start and finish times and the task's timeout
   * @param io runs the operations (blocking file I/O, lock waits); one thread per running fs task
   */
  public FsRunner(List<FsRoot> roots, FsLimits limits, FileChangeListener listener, Clock clock, Executor io) {
    this.ops =
        new FsOperations(
            new WorkspaceRoots(Objects.requireNonNull(roots, "roots")),
            Objects.requireNonNull(limits, "limits"),
            Objects.requireNonNull(listener, "listener"),
            FileLocks.JVM);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.io = Objects.requireNonNull(io, "io");
  }

  @Override
  public String capability() {
    return CAPABILITY;
  }

  /** The roots this runner works in, for the manifest. */
  public List<FsRoot> roots() {
    return ops.roots.all();
  }

  @Override
  public RunningTask start(TaskSpec spec, Path defaultWorkDir, TaskEvents events) {
    FsTask task = new FsTask(spec.getTaskId(), spec.getFs(), ops, events, clock, spec.getTimeoutMs());
    events.started(task.startedAt(), 0);
    if (!spec.hasFs()) {
      task.abandon("the task has no fs payload");
      return RunningTask.DONE;
    }
    try {
      io.execute(task);
    } catch (RejectedExecutionException e) {
      task.abandon("agent busy: cannot schedule the fs operation: " + e.getMessage());
      return RunningTask.DONE;
    }
    return task;
  }
}
