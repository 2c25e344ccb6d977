/**
 * Task dispatch: tasks are persisted first, then routed to a node (by id, or by label selector to
 * the least-loaded ONLINE node offering the capability), leased, and tracked to a final state.
 *
 * <p>{@link io.cortexhub.hub.dispatch.TaskService} is the API the REST layer and the console use.
 */
package io.cortexhub.hub.dispatch;
