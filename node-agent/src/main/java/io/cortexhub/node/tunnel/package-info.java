/**
 * The tunnel to the hub: one outbound bidirectional gRPC stream per node ({@link
 * io.cortexhub.node.tunnel.TunnelSession}), reopened with backoff after any failure by {@link
 * io.cortexhub.node.tunnel.NodeAgent}, which also holds the tasks (and their unacknowledged output)
 * across sessions, admits only signed tasks ({@link io.cortexhub.node.tunnel.NodeSecurity}) and
 * applies the hub's session tokens. All of a node's state is confined to one serial executor.
 */
package io.cortexhub.node.tunnel;
