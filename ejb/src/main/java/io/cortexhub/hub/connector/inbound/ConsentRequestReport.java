package io.cortexhub.hub.connector.inbound;

import java.util.Objects;

/**
 * The node holds a task until its owner approves it.
 *
 * @param taskId the task
 * @param prompt what the owner is asked (argv, cwd, requesting user), as the node shows it
 * @param deadlineUnixMs when the node denies the task if nobody answered
 */
public record ConsentRequestReport(String taskId, String prompt, long deadlineUnixMs) {
  public ConsentRequestReport {
    Objects.requireNonNull(taskId, "taskId");
    prompt = prompt == null ? "" : prompt;
  }
}
