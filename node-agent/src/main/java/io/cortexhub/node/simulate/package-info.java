/**
 * The benchmark's node fleet: many lightweight nodes in one JVM, each with its own real gRPC stream,
 * Hello and heartbeats, running {@code echo} tasks. Streams are multiplexed over a few TCP
 * connections and all nodes share one timer thread and a small pool — no thread per node.
 */
package io.cortexhub.node.simulate;
