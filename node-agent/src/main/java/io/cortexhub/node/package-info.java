/**
 * The cortex-node agent: a standalone daemon that keeps one outbound TLS gRPC stream to its hub,
 * runs the tasks the hub assigns, and never loses their output across reconnects. Sub-packages are
 * cut by feature; {@code cli} is the only one that touches process-wide state (signals, stdout).
 */
package io.cortexhub.node;
