/**
 * The node owner's local policy: which executables (by resolved real path) and arguments a {@code
 * shell} task may run, which workspace roots it may touch, its environment, user, network, resource
 * limits, consent mode and the weakest isolation the owner accepts. Loaded once from a local file;
 * nothing arriving from the hub can change it. {@link io.cortexhub.node.policy.CommandGate} checks
 * every argv against it before anything is started.
 */
package io.cortexhub.node.policy;
