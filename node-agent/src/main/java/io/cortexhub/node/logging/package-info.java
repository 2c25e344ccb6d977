/**
 * Structured logging: every log line is one JSON object ({@code ts, level, logger, msg, node, task,
 * trace, error}) so that a node's logs can be joined with the hub's by node, task and trace id. Built
 * on {@code java.util.logging} to keep the agent jar free of a logging framework.
 */
package io.cortexhub.node.logging;
