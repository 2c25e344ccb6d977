package io.cortexhub.web.api.tasks;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/tasks}. Bean Validation checks the shape here; {@link
 * TaskRequests} checks what depends on the kind, and the hub checks the rest.
 *
 * @param kind {@code echo}, {@code shell} or {@code fs}
 * @param message for echo: the text the node sends back
 * @param argv for shell: the executable and its arguments (no shell is involved unless argv names
 *     one)
 * @param env for shell: extra environment variables
 * @param workingDir for shell: the working directory on the node
 * @param fs for fs: the file operation
 * @param timeoutSeconds wall-clock limit on the node; the hub's default when absent
 * @param idempotencyKey a retry with the same key returns the first task (the {@code
 *     Idempotency-Key} header does the same)
 * @param node run on the node with this id
 * @param selector or on the least-loaded ONLINE node carrying all these labels
 * @param workspace the workspace the task runs in (its nodes only); omitted: the caller's only
 *     workspace, else {@code default}. One the caller's token does not include is refused (403).
 */
@Schema(name = "SubmitTask", description = "A task to run on a node")
public record SubmitTaskJson(
    @Schema(enumeration = {"echo", "shell", "fs"}, required = true) @NotBlank String kind,
    @Size(max = MAX_MESSAGE_CHARS) String message,
    @Size(max = MAX_ARGS) List<@NotNull @Size(max = MAX_ARG_CHARS) String> argv,
    @Size(max = MAX_ENV) Map<@NotBlank String, @NotNull String> env,
    @Size(max = MAX_ARG_CHARS) String workingDir,
    FsOperationJson fs,
    @Positive Integer timeoutSeconds,
    @Size(min = 1, max = MAX_KEY_CHARS) String idempotencyKey,
    String node,
    Map<@NotBlank String, @NotNull String> selector,
    @Size(max = 64) String workspace) {

  /**
   * Declared explicitly, with bare parameters, so the constraints above stay on the fields and
   * accessors: on an implicit canonical constructor they would be copied onto its parameters, and
   * Payara's OpenAPI scanner takes any constrained parameter for a {@code @PathParam} and fails.
   */
  public SubmitTaskJson(String kind, String message, List<String> argv, Map<String, String> env,
      String workingDir, FsOperationJson fs, Integer timeoutSeconds, String idempotencyKey, String node,
      Map<String, String> selector, String workspace) {
    this.kind = kind;
    this.message = message;
    this.argv = argv;
    this.env = env;
    this.workingDir = workingDir;
    this.fs = fs;
    this.timeoutSeconds = timeoutSeconds;
    this.idempotencyKey = idempotencyKey;
    this.node = node;
    this.selector = selector;
    this.workspace = workspace;
  }

  static final int MAX_MESSAGE_CHARS = 65_536;
  static final int MAX_ARGS = 4_096;
  static final int MAX_ARG_CHARS = 32_768;
  static final int MAX_ENV = 1_024;
  static final int MAX_KEY_CHARS = 200;
}
