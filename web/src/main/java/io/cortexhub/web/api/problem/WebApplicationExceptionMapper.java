package io.cortexhub.web.api.problem;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * HTTP-level failures raised by the JAX-RS runtime itself (no such route, method not allowed,
 * unsupported media type, not acceptable...) → a problem of type {@code about:blank} with the status
 * of the original exception. 5xx ones are logged and described as an internal error.
 */
@Provider
public final class WebApplicationExceptionMapper extends ProblemMapper<WebApplicationException> {

  @Override
  protected Problem problemFor(WebApplicationException exception) {
    int status = exception.getResponse().getStatus();
    if (status >= 500) {
      return UnexpectedExceptionMapper.internalError(exception);
    }
    if (RequestExceptionMappers.jsonCause(exception)) {
      return RequestExceptionMappers.malformed(exception.getCause());
    }
    if (status < 400) {
      // A redirect or success thrown as an exception is a bug in our own code.
      return UnexpectedExceptionMapper.internalError(exception);
    }
    Response.StatusType statusType = exception.getResponse().getStatusInfo();
    String title = statusType.getReasonPhrase() == null ? "HTTP " + status
        : statusType.getReasonPhrase();
    return new Problem(Problem.ABOUT_BLANK, title, status, detail(exception),
        java.util.Optional.empty());
  }

  @Override
  protected Response decorate(WebApplicationException exception, Response response) {
    String allow = exception.getResponse().getHeaderString(HttpHeaders.ALLOW);
    if (allow == null) {
      return response;
    }
    return Response.fromResponse(response).header(HttpHeaders.ALLOW, allow).build();
  }

  private static String detail(WebApplicationException exception) {
    if (exception instanceof NotFoundException) {
      return "no resource at this path";
    }
    if (exception instanceof NotAllowedException) {
      String allow = exception.getResponse().getHeaderString(HttpHeaders.ALLOW);
      return "method not allowed here" + (allow == null ? "" : "; allowed: " + allow);
    }
    String message = exception.getMessage();
    return message == null ? "" : message;
  }
}
