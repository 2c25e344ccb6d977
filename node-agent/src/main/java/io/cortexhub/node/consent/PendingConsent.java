package io.cortexhub.node.consent;

import io.cortexhub.node.audit.CanonicalJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request waiting for the owner.
 *
 * @param id short id the owner types ({@code cortex-node approve ID}); random, so an id seen before
 *     a restart never names a different request after it
 * @param request what is asked
 * @param requestedAt when the broker received it
 * @param deadline when it times out (denied)
 */
public record PendingConsent(String id, ConsentRequest request, Instant requestedAt, Instant deadline) {
  public PendingConsent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** The question as shown to the owner and sent to the hub in {@code TaskAwaitingConsent.prompt}. */
  public String prompt() {
    ConsentRequest r = request;
    return "run " + CanonicalJson.write(r.argv())
        + (r.cwd().isEmpty() ? "" : " in " + r.cwd())
        + " for task " + r.taskId()
        + " requested by " + (r.requestedBy().isEmpty() ? "(unknown)" : r.requestedBy())
        + (r.summary().isEmpty() ? "" : ": " + r.summary());
  }

  /** The JSON object form used on the approvals socket. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("taskId", request.taskId());
    m.put("argv", request.argv());
    m.put("cwd", request.cwd());
    m.put("requestedBy", request.requestedBy());
    m.put("summary", request.summary());
    m.put("requestedAtUnixMs", requestedAt.toEpochMilli());
    m.put("deadlineUnixMs", deadline.toEpochMilli());
    return m;
  }
}
