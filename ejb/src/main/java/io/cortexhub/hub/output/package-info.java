/**
 * Task output: chunks streamed from nodes, stored in batches, replayed from any sequence number and
 * followed live.
 *
 * <p>{@link io.cortexhub.hub.output.TaskOutputService} serves the REST API's Server-Sent Events.
 */
package io.cortexhub.hub.output;
