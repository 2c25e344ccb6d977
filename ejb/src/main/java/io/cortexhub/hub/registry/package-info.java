/**
 * The node registry: which nodes exist, what they offer, and whether they are reachable now.
 *
 * <p>{@link io.cortexhub.hub.registry.NodeDirectory} is the read side used by the REST API and the
 * console. Nodes move through {@link io.cortexhub.hub.registry.NodeState} as their tunnel
 * connects, heartbeats and falls silent; live sessions are held in memory, history in the database.
 */
package io.cortexhub.hub.registry;
