package io.cortexhub.node.sandbox;

/**
 * How strongly the node can confine a task's processes, weakest first, so that {@link
 * #isAtLeast(IsolationLevel)} follows declaration order.
 *
 * <ul>
 *   <li>{@link #NONE}: an own process group, cgroup and directory, nothing more.
 *   <li>{@link #SETPRIV}: plus a privilege drop to the policy's run-as user, no new privileges and
 *       no capabilities.
 *   <li>{@link #UNSHARE}: plus new mount, PID, IPC, UTS and (unless the policy allows network) an
 *       empty network namespace.
 *   <li>{@link #BUBBLEWRAP}: plus a file system view of its own: the system read-only, only the
 *       workspace roots and the task's directory visible, its own {@code /tmp}.
 * </ul>
 */
public enum IsolationLevel {
  NONE("none"),
  SETPRIV("setpriv"),
  UNSHARE("unshare"),
  BUBBLEWRAP("bubblewrap");

  private final String wireName;

  IsolationLevel(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the policy file and the manifest's {@code isolation} field. */
  public String wireName() {
    return wireName;
  }

  /** Whether this level confines at least as much as {@code other}. */
  public boolean isAtLeast(IsolationLevel other) {
    return compareTo(other) >= 0;
  }

  /** The level with this wire name, if any. */
  public static java.util.Optional<IsolationLevel> fromWireName(String name) {
    for (IsolationLevel l : values()) {
      if (l.wireName.equals(name)) {
        return java.util.Optional.of(l);
      }
    }
    return java.util.Optional.empty();
  }
}
