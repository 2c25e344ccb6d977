package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.InvalidTaskRequestException;
import io.cortexhub.hub.dispatch.SubmitOutcome;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.api.auth.NotPermittedException;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.api.problem.Problem;
import io.cortexhub.web.api.problem.ProblemType;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One answer of {@code POST /api/v1/tasks/batch}: the status a single submit of that item would
 * have answered, with either the task or an RFC 9457 problem. Immutable.
 *
 * @param status 201 created, 200 idempotent retry, or the problem's status (400, 404, 500)
 * @param task the task, when accepted (absent otherwise)
 * @param problem why the item was refused (absent when accepted)
 */
@Schema(name = "BatchSubmitResult", description = "The outcome of one item of a batch submit")
public record BatchItemJson(
    int status,
    TaskJson task,
    @Schema(implementation = Object.class, description = "An RFC 9457 problem") JsonObject problem) {
  private static final Logger LOG = Logger.getLogger(BatchItemJson.class.getName());

  static BatchItemJson of(SubmitOutcome outcome) {
    if (outcome instanceof SubmitOutcome.Accepted a) {
      return new BatchItemJson(a.submission().created() ? 201 : 200,
          TaskJson.of(a.submission().task()), null);
    }
    return refused(((SubmitOutcome.Refused) outcome).reason());
  }

  static BatchItemJson refused(RuntimeException reason) {
    Problem problem;
    if (reason instanceof InvalidRequestException || reason instanceof InvalidTaskRequestException) {
      problem = ProblemType.INVALID_REQUEST.problem(reason.getMessage());
    } else if (reason instanceof UnknownNodeException) {
      problem = ProblemType.UNKNOWN_NODE.problem(reason.getMessage());
    } else if (reason instanceof NotPermittedException) {
      problem = ProblemType.FORBIDDEN.problem(reason.getMessage());
    } else {
      // Internal details stay in the log, as for a single submit.
      LOG.log(Level.WARNING, "batch item failed", reason);
      problem = ProblemType.INTERNAL_ERROR.problem("the task could not be stored; retry it");
    }
    try (var reader = Json.createReader(new StringReader(problem.toJson()))) {
      return new BatchItemJson(problem.status(), null, reader.readObject());
    }
  }
}
