/**
 * The gRPC-backed side of the connector: each node session's outbound frames go through a bounded
 * {@link io.cortexhub.hub.connector.outbound.FrameQueue} drained only while the stream is ready,
 * and {@link io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory} keeps the one current
 * connection per node, replacing an older one cleanly.
 */
package io.cortexhub.hub.connector.outbound;
