/**
 * Confining a {@code shell} task's processes: detecting honestly what the machine offers ({@link
 * io.cortexhub.node.sandbox.IsolationProbe}), wrapping a verified argv in bubblewrap, {@code unshare}
 * and {@code setpriv} ({@link io.cortexhub.node.sandbox.SandboxLauncher}), and per-task resource
 * quotas in a cgroup of its own ({@link io.cortexhub.node.sandbox.QuotaController}) that also lets
 * the agent kill every process of a task, however it tried to escape.
 */
package io.cortexhub.node.sandbox;
