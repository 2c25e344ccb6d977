/**
 * The tunnel to the hub and the task flow behind it: one outbound bidirectional gRPC stream per node
 * ({@link io.cortexhub.node.tunnel.TunnelSession}), reopened with backoff after any failure by {@link
 * io.cortexhub.node.tunnel.NodeAgent}, which holds the tasks (and their unacknowledged output) across
 * sessions, admits only signed tasks ({@link io.cortexhub.node.tunnel.NodeSecurity}) and applies the
 * hub's session tokens. {@link io.cortexhub.node.tunnel.TaskControls} add the owner's side — local
 * policy, protected paths, consent — and the audit trail every step is written to, whose checkpoints
 * and records travel on the same stream. All of a node's state is confined to one serial executor.
 */
package io.cortexhub.node.tunnel;
