package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that swaps a directory for a symbolic link while the agent walks the path must not lead
 * it out: the walk opens each component relative to its parent with {@code O_NOFOLLOW}.
 */
@EnabledOnOs(OS.LINUX)
class FsRaceTest {
  @TempDir Path base;

  @Test
  void fileSwappedBetweenCheckAndOpen_isRefused() throws Exception {
    Path ws = Files.createDirectory(base.resolve("ws"));
    Files.writeString(ws.resolve("f.txt"), "checked");
    Files.writeString(ws.resolve("other.txt"), "swapped in");
    Target t = new WorkspaceRoots(List.of(new FsRoot(ws, true))).resolve("f.txt", WorkspaceRoots.Access.READ);
    try (OpenDir dir = OpenDir.parentOf(t, false)) {
      PosixFileAttributes checked = dir.attributes("f.txt").orElseThrow();
      Files.move(ws.resolve("other.txt"), ws.resolve("f.txt"), StandardCopyOption.ATOMIC_MOVE);
      assertThatThrownBy(() -> dir.open("f.txt", checked, Set.of(StandardOpenOption.READ)))
          .isInstanceOf(FsRefusedException.class)
          .hasMessage(ws.resolve("f.txt") + " changed while being opened");

      Files.delete(ws.resolve("f.txt"));
      Files.createSymbolicLink(ws.resolve("f.txt"), Path.of("/etc/passwd"));
      assertThatThrownBy(() -> dir.open("f.txt", checked, Set.of(StandardOpenOption.READ)))
          .isInstanceOf(FsRefusedException.class)
          .hasMessageContaining("is a symbolic link");
    }
  }

  @Test
  void directorySwappedForALinkDuringTheWalk_neverLeadsOut() throws Exception {
    Path ws = Files.createDirectory(base.resolve("ws"));
    Path outside = Files.createDirectory(base.resolve("outside"));
    Files.writeString(outside.resolve("f.txt"), "SECRET");
    Path real = Files.createDirectory(ws.resolve("d"));
    Files.writeString(real.resolve("f.txt"), "inside");
    Path parked = ws.resolve("d.parked");

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger flips = new AtomicInteger();
    Thread flipper =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  Files.move(real, parked, StandardCopyOption.ATOMIC_MOVE);
                  Files.createSymbolicLink(real, outside);
                  Files.delete(real);
                  Files.move(parked, real, StandardCopyOption.ATOMIC_MOVE);
                  flips.incrementAndGet();
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "flipper");
    List<String> leaks = new ArrayList<>();
    int served = 0;
    int refused = 0;
    try (FsHarness fs = FsHarness.writable(ws)) {
      flipper.start();
      for (int i = 0; i < 500; i++) {
        FsHarness.Run read = fs.run(Ops.read("d/f.txt"));
        if (read.succeeded()) {
          served++;
          if (!read.text().equals("inside")) {
            leaks.add("read returned " + read.text());
          }
        } else {
          refused++;
        }
        fs.run(Ops.write("d/w" + i + ".txt", "x"));
        FsHarness.Run list = fs.run(Ops.list("d", false));
        if (list.text().contains("SECRET") || list.text().contains("w" + i + ".txt\",\"type\":\"symlink")) {
          leaks.add("list showed " + list.text());
        }
      }
    } finally {
      stop.set(true);
      flipper.join();
    }
    try (var stream = Files.list(outside)) {
      assertThat(stream.map(p -> p.getFileName().toString()).toList()).containsExactly("f.txt");
    }
    assertThat(leaks).isEmpty();
    assertThat(flips.get()).as("the flipper actually raced").isGreaterThan(10);
    // Which reads were served and which refused depends on the scheduler; only the total is fixed.
    assertThat(served + refused).isEqualTo(500);
  }

  @Test
  void readerOfAnOpenedFile_keepsTheInodeItChecked() throws Exception {
    Path ws = Files.createDirectory(base.resolve("ws"));
    Files.writeString(ws.resolve("f.txt"), "first");
    Target t = new WorkspaceRoots(List.of(new FsRoot(ws, false))).resolve("f.txt", WorkspaceRoots.Access.READ);
    try (OpenDir dir = OpenDir.parentOf(t, false)) {
      PosixFileAttributes a = dir.attributes("f.txt").orElseThrow();
      try (FileChannel ch = dir.open("f.txt", a, Set.of(StandardOpenOption.READ))) {
        Files.delete(ws.resolve("f.txt"));
        Files.createSymbolicLink(ws.resolve("f.txt"), Path.of("/etc/passwd"));
        assertThat(Sha256.of(ch)).isEqualTo(Sha256.hex("first".getBytes()));
      }
    }
  }
}
