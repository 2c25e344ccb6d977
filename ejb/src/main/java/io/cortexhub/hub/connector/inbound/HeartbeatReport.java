package io.cortexhub.hub.connector.inbound;

/** A heartbeat's payload: the node's view of its own load. */
public record HeartbeatReport(long sentAtUnixMs, int runningTasks, int freeSlots, double loadAverage) {}
