package io.cortexhub.node.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A requested path after lexical confinement: the root it lies in and the plain names below that
 * root (no {@code .}, no {@code ..}, no separators). Nothing on disk has been looked at yet; the
 * names are walked later without following links. Immutable.
 *
 * @param root the root, as configured
 * @param rootReal the root's real path when the request was resolved
 * @param names path components below the root; empty for the root itself
 */
record Target(FsRoot root, Path rootReal, List<String> names) {
  Target {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(rootReal, "rootReal");
    names = List.copyOf(names);
  }

  boolean isRoot() {
    return names.isEmpty();
  }

  /** The last name; only for a target that is not the root. */
  String name() {
    return names.get(names.size() - 1);
  }

  /** The absolute path under the root's real path (for messages, results and the audit log). */
  Path absolute() {
    Path p = rootReal;
    for (String n : names) {
      p = p.resolve(n);
    }
    return p;
  }

  /** Whether {@code other} is this target or lies below it. */
  boolean contains(Target other) {
    return other.absolute().startsWith(absolute());
  }

  /** The path as a lock key: identical for every spelling that reaches the same entry. */
  String lockKey() {
    return rootReal + "\0" + String.join("/", names);
  }

  @Override
  public String toString() {
    return absolute().toString();
  }
}
