package io.cortexhub.node.consent;

import java.util.List;
import java.util.Objects;

/**
 * What the owner is asked to allow: exactly the argv that will run, where, and on whose behalf.
 *
 * @param taskId the task waiting for the answer
 * @param argv the command exactly as it will be executed (argv[0] resolved), or for a file
 *     operation a description such as {@code ["fs:write", "src/Main.java"]}
 * @param cwd working directory (empty if not applicable)
 * @param requestedBy who asked, as the hub authenticated them (user or API key of the submitter)
 * @param summary one line for humans, e.g. "write 1.2 KiB to src/Main.java"
 */
public record ConsentRequest(String taskId, List<String> argv, String cwd, String requestedBy, String summary) {
  public ConsentRequest {
    Objects.requireNonNull(taskId, "taskId");
    argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(summary, "summary");
  }
}
