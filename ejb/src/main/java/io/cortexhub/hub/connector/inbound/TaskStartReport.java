package io.cortexhub.hub.connector.inbound;

/** A task's process started on the node (pid 0 for in-agent work). */
public record TaskStartReport(String taskId, long startedAtUnixMs, long pid) {}
