package io.cortexhub.node.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Maps the path a task names to a {@link Target} inside one of the workspace roots, or refuses it.
 *
 * <p>This is the lexical half of confinement: {@code ..} is refused outright (even when it would stay
 * inside), a relative path is taken from the first root, and an absolute path must start with a
 * root <em>element by element</em> ({@link Path#startsWith(Path)}, so {@code /ws-evil} is not inside
 * {@code /ws}) in either its configured or its real spelling. {@code /proc/self/root/ws/...} therefore
 * lies outside every root. When roots nest, the longest match wins, so a read-only root inside a
 * writable one stays read-only. The other half, symbolic links and special files on disk, is {@link
 * OpenDir}'s job. Thread-safe (immutable; root real paths are looked up per call, so a root created
 * after start-up works).
 */
final class WorkspaceRoots {
  /** The per-root directory of lock files; tasks can neither see nor touch it. */
  static final String LOCK_DIR = ".cortex-locks";

  enum Access {
    READ,
    WRITE
  }

  private final List<FsRoot> roots;

  WorkspaceRoots(List<FsRoot> roots) {
    this.roots = List.copyOf(Objects.requireNonNull(roots, "roots"));
  }

  List<FsRoot> all() {
    return roots;
  }

  Target resolve(String requested, Access access) {
    Objects.requireNonNull(requested, "requested");
    if (roots.isEmpty()) {
      throw new FsRefusedException("no workspace roots are configured on this node");
    }
    if (requested.indexOf('\0') >= 0) {
      throw new FsRefusedException("path contains a NUL character");
    }
    Path asked;
    try {
      asked = Path.of(requested);
    } catch (InvalidPathException e) {
      throw new FsRefusedException("invalid path '" + requested + "': " + e.getReason());
    }
    for (Path element : asked) {
      if (element.toString().equals("..")) {
        throw new FsRefusedException("'..' is not allowed in paths: " + requested);
      }
    }
    Path absolute = asked.isAbsolute() ? asked.normalize() : roots.get(0).path().resolve(asked).normalize();

    FsRoot best = null;
    Path bestForm = null;
    Path bestReal = null;
    for (FsRoot root : roots) {
      Path real = realPathOf(root);
      for (Path form : real == null ? List.of(root.path()) : List.of(root.path(), real)) {
        if (absolute.startsWith(form) && (bestForm == null || form.getNameCount() > bestForm.getNameCount())) {
          best = root;
          bestForm = form;
          bestReal = real;
        }
      }
    }
    if (best == null) {
      throw new FsRefusedException(absolute + " is outside the workspace roots " + rootList());
    }
    if (bestReal == null) {
      throw new FsRefusedException("workspace root " + best.path() + " does not exist or is not a directory");
    }
    List<String> names = new ArrayList<>();
    for (Path element : bestForm.relativize(absolute)) {
      String n = element.toString();
      if (!n.isEmpty() && !n.equals(".")) {
        names.add(n);
      }
    }
    if (!names.isEmpty() && names.get(0).equals(LOCK_DIR)) {
      throw new FsRefusedException(LOCK_DIR + " is reserved for the agent's file locks: " + absolute);
    }
    if (access == Access.WRITE && !best.writable()) {
      throw new FsRefusedException("workspace root " + best.path() + " is read-only: " + absolute);
    }
    return new Target(best, bestReal, names);
  }

  /**
   * Refuses a change that would remove or move a workspace root or a directory holding one: the
   * roots are the owner's, not the task's.
   */
  void refuseRootChange(Target t, String what) {
    for (FsRoot root : roots) {
      Path real = realPathOf(root);
      Path rootPath = real == null ? root.path() : real;
      if (rootPath.startsWith(t.absolute())) {
        throw new FsRefusedException(
            "cannot " + what + " " + t.absolute() + ": it is or contains the workspace root " + root.path());
      }
    }
  }

  private static Path realPathOf(FsRoot root) {
    try {
      Path real = root.path().toRealPath();
      return Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
    } catch (IOException e) {
      return null;
    }
  }

  private String rootList() {
    return roots.stream().map(r -> r.path().toString()).toList().toString();
  }
}
