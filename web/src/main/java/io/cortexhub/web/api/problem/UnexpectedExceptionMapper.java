package io.cortexhub.web.api.problem;

import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything no other mapper claims → 500 internal-error. The exception and its stack trace go to the
 * hub's log under a random incident id; the response carries only that id, never internals.
 */
@Provider
public final class UnexpectedExceptionMapper extends ProblemMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

  @Override
  protected Problem problemFor(Throwable exception) {
    return internalError(exception);
  }

  /** Logs the exception under a new incident id and returns the problem that names only the id. */
  static Problem internalError(Throwable exception) {
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, exception, () -> "REST request failed, incident " + incident);
    return ProblemType.INTERNAL_ERROR.problem(
        "the hub failed to handle this request; see its log for incident " + incident);
  }
}
