package io.cortexhub.hub.registry;

/**
 * Reachability of a node as the hub sees it.
 *
 * <p>CONNECTING (stream open, Hello not yet accepted) → ONLINE (heartbeats arriving) → STALE (a
 * heartbeat deadline was missed; no new tasks are routed to it) → OFFLINE (stream gone or silent past
 * the offline deadline; its unfinished tasks become LOST when their lease ends). A heartbeat moves a
 * STALE node back to ONLINE; a new connection moves an OFFLINE node to CONNECTING.
 */
public enum NodeState {
  CONNECTING,
  ONLINE,
  STALE,
  OFFLINE
}
