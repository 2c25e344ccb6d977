/**
 * Assembly and lifecycle of the hub: {@link io.cortexhub.hub.runtime.HubCore} wires registry,
 * dispatch, output and the journal in plain Java (so tests run it without a container), and the
 * startup EJBs build it from container resources, migrate the database first and stop it cleanly.
 */
package io.cortexhub.hub.runtime;
