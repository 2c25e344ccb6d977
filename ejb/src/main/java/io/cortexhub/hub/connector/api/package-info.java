/**
 * Client view of the connector: a {@link io.cortexhub.hub.connector.api.NodeConnectionFactory}
 * hands out a {@link io.cortexhub.hub.connector.api.NodeConnection} to a connected node, through
 * which the hub sends tasks, cancels, acknowledgements and drain requests. Results come back on the
 * inbound side.
 */
package io.cortexhub.hub.connector.api;
