/**
 * The benchmark's node fleet: many lightweight nodes in one JVM, each with its own enrolled
 * identity, its own mutual-TLS connection, real {@code Hello}s and heartbeats, running signed
 * {@code echo} tasks. All nodes share one timer thread and a small pool — no thread per node — and
 * their identities are cached under a state directory so reruns need no new enrollment.
 */
package io.cortexhub.node.simulate;
