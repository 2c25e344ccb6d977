package io.cortexhub.hub.connector.inbound;

import java.util.List;
import java.util.Objects;

/** Part of a node's answer to an audit query: JSON lines of its log; {@code last} ends it. */
public record AuditRecordsReport(String queryId, List<String> records, boolean last,
    String error) {
  public AuditRecordsReport {
    Objects.requireNonNull(queryId, "queryId");
    records = List.copyOf(records);
    error = error == null ? "" : error;
  }
}
