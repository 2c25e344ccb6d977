package io.cortexhub.node.sandbox;

/**
 * A mechanism the sandbox uses when the machine has it. {@link IsolationProbe} can be told to
 * pretend any of them is absent, to show (and test) what a poorer machine would report.
 */
public enum Primitive {
  /** {@code bwrap}: mount, PID, IPC, UTS and network namespaces with a file system view of our own. */
  BUBBLEWRAP,
  /** {@code unshare} from util-linux: namespaces without a file system view. */
  UNSHARE,
  /** {@code setpriv} from util-linux: switch user, no new privileges, no capabilities. */
  SETPRIV,
  /** cgroups v2 with the memory and pids controllers delegated to us. */
  CGROUP_V2,
  /** cgroups v1 hierarchies for memory and pids that we may create children in. */
  CGROUP_V1,
  /** {@code prlimit}: per-process rlimits, the fallback when there are no cgroups. */
  PRLIMIT
}
