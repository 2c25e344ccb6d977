/**
 * The JCA/CCI-style connector through which the hub's EJBs reach nodes, split like a resource
 * adapter: {@code api} (what callers use), {@code inbound} (node events delivered to the hub) and
 * {@code outbound} (the gRPC-backed implementation). Nothing outside {@code outbound} and the
 * tunnel touches gRPC types.
 */
package io.cortexhub.hub.connector;
