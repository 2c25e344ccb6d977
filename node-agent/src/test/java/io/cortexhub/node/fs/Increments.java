package io.cortexhub.node.fs;

import io.cortexhub.proto.node.v1.FsPayload;
import java.nio.charset.StandardCharsets;

/** Read-modify-write of a counter file through fs tasks, made safe by compare-and-swap. */
final class Increments {
  private Increments() {}

  interface Runner {
    FsHarness.Run run(FsPayload p) throws Exception;
  }

  /** Increments the counter {@code times} times; returns how many swaps lost a race and retried. */
  static int run(Runner fs, String path, int times) throws Exception {
    int conflicts = 0;
    for (int i = 0; i < times; ) {
      FsHarness.Run read = fs.run(Ops.read(path));
      if (!read.succeeded()) {
        throw new AssertionError("read failed: " + read.detail());
      }
      String now = read.text();
      String next = String.valueOf(Long.parseLong(now) + 1);
      FsHarness.Run write =
          fs.run(Ops.write(Ops.data(path, next).setExpectedSha256(Sha256.hex(now.getBytes(StandardCharsets.UTF_8)))));
      if (write.succeeded()) {
        i++;
      } else if (write.detail().contains("compare-and-swap failed")) {
        conflicts++;
      } else {
        throw new AssertionError("write failed: " + write.detail());
      }
    }
    return conflicts;
  }
}
