/**
 * The node tunnel endpoint: the grpc-java {@code NodeTunnel} service, one session per stream, frame
 * validation with a clear refusal for every violation, flow control in both directions, and the
 * Netty server lifecycle with TLS. Only this package and {@code connector.outbound} see gRPC.
 */
package io.cortexhub.hub.tunnel;
