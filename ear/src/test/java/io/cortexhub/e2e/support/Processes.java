package io.cortexhub.e2e.support;

import java.util.Arrays;
import java.util.List;

/** What runs on this machine, seen through /proc like an operator would with {@code ps}. */
public final class Processes {
  private Processes() {}

  /** Live processes whose argument list contains {@code marker} as one argument. */
  public static List<ProcessHandle> withArgument(String marker) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(marker)).orElse(false))
        .toList();
  }

  /** Kills (SIGKILL) every process carrying {@code marker}: cleanup after a test that killed their parent. */
  public static void killWithArgument(String marker) {
    withArgument(marker).forEach(ProcessHandle::destroyForcibly);
  }
}
