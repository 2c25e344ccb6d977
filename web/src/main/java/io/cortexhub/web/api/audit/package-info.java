/**
 * {@code /api/v1/audit}: the hub's copy of nodes' signed audit checkpoints, and a task's audit
 * records fetched live from the node that ran it.
 */
package io.cortexhub.web.api.audit;
