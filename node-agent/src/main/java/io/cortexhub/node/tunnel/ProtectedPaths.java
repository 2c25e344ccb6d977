package io.cortexhub.node.tunnel;

import io.cortexhub.node.policy.WorkspaceRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The files through which a node's owner controls the agent — the policy file, the state directory
 * (key, certificate, replay cache), the audit log and the consent socket — which no task may reach.
 *
 * <p>Why a list of its own: the policy decides what tasks may touch, but these paths may lie inside
 * a workspace root all the same (an audit log under {@code /srv}, a root at {@code /}). The agent
 * refuses to start when one lies inside a <em>writable</em> root (a task could replace it, and the
 * sandbox would mount it writable), and refuses every file operation and every command argument
 * that names one, whatever the roots say.
 *
 * <p>Paths are compared element by element ({@link Path#startsWith(Path)}, never strings), each
 * both as configured and as its real path, so a root reached through a symbolic link does not hide
 * a protected path. Immutable; thread-safe.
 */
public final class ProtectedPaths {
  private static final ProtectedPaths NONE = new ProtectedPaths(List.of());

  private final List<Path> paths;
  /** Every spelling of every path: as given and, where it exists, its real path. */
  private final List<Spelling> spellings;

  private record Spelling(Path form, Path original) {}

  private ProtectedPaths(List<Path> paths) {
    this.paths = List.copyOf(paths);
    List<Spelling> all = new ArrayList<>();
    for (Path p : this.paths) {
      for (Path form : forms(p)) {
        all.add(new Spelling(form, p));
      }
    }
    this.spellings = List.copyOf(all);
  }

  /**
   * Protects these paths (absolute; normalised here).
   *
   * @throws IllegalArgumentException for a relative path
   */
  public static ProtectedPaths of(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      Objects.requireNonNull(p, "path");
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException("a protected path must be absolute: " + p);
      }
      out.add(p.normalize());
    }
    return new ProtectedPaths(out);
  }

  /** Protects nothing (simulated nodes, tests of the tunnel alone). */
  public static ProtectedPaths none() {
    return NONE;
  }

  /** The protected paths, as given. */
  public List<Path> paths() {
    return paths;
  }

  /**
   * The protected path that {@code candidate} is, or lies inside, if any.
   *
   * @param candidate an absolute path, as a task named it (lexically normalised here)
   */
  public Optional<Path> covering(Path candidate) {
    for (Path form : forms(candidate)) {
      for (Spelling s : spellings) {
        if (form.startsWith(s.form())) {
          return Optional.of(s.original());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A protected path that lies strictly inside {@code candidate}, if any: deleting, moving or
   * listing {@code candidate} recursively would reach it.
   */
  public Optional<Path> inside(Path candidate) {
    for (Path form : forms(candidate)) {
      for (Spelling s : spellings) {
        if (s.form().startsWith(form) && !s.form().equals(form)) {
          return Optional.of(s.original());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that no protected path lies in a writable workspace root.
   *
   * @throws IllegalStateException naming the path and the root
   */
  public void requireOutside(List<WorkspaceRoot> roots) {
    for (WorkspaceRoot r : roots) {
      if (!r.writable()) {
        continue;
      }
      for (Path p : paths) {
        boolean in = forms(p).stream().anyMatch(f -> forms(r.path()).stream().anyMatch(f::startsWith));
        if (in) {
          throw new IllegalStateException(
              p + " lies inside the writable workspace root " + r.path()
                  + ": a task could replace it; move it out of every writable root (or make the root read-only)");
        }
      }
    }
  }

  @Override
  public String toString() {
    return paths.toString();
  }

  /**
   * {@code p} normalised and, if it or an ancestor exists, with the longest existing prefix replaced
   * by its real path (the rest cannot hold links yet).
   */
  private static Set<Path> forms(Path p) {
    Set<Path> out = new LinkedHashSet<>();
    Path lexical = p.normalize();
    out.add(lexical);
    Path existing = lexical;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      try {
        Path real = existing.toRealPath();
        out.add(real.resolve(existing.relativize(lexical)).normalize());
      } catch (IOException e) {
        // Unreadable on the way: the lexical form is all there is to compare.
      }
    }
    return out;
  }
}
