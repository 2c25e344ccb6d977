/**
 * The {@code /api/v1/tasks} resources: submitting tasks (with idempotency keys and trace context),
 * reading and cancelling them, and their output as Server-Sent Events or JSON.
 */
package io.cortexhub.web.api.tasks;
