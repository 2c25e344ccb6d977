/**
 * Inbound side of the connector: node events, already validated and translated from protobuf into
 * small immutable records, delivered to a {@link io.cortexhub.hub.connector.inbound.NodeMessageListener}.
 */
package io.cortexhub.hub.connector.inbound;
