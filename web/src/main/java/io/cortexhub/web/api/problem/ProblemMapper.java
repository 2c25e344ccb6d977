package io.cortexhub.web.api.problem;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Base of every exception mapper of the API: turns an exception into a {@link Problem} and adds the
 * request path as the problem's {@code instance}.
 *
 * <p>Subclasses only decide which problem an exception is. Mappers are singletons shared by all
 * requests; the injected {@link UriInfo} is a per-request proxy, so this is thread-safe.
 *
 * @param <E> the exception type handled
 */
public abstract class ProblemMapper<E extends Throwable> implements ExceptionMapper<E> {

  @Context private UriInfo uriInfo;

  @Override
  public final Response toResponse(E exception) {
    Response response = problemFor(exception).at(requestPath()).toResponse();
    return decorate(exception, response);
  }

  /** The problem this exception stands for. */
  protected abstract Problem problemFor(E exception);

  /** Hook to copy headers from the exception (e.g. {@code Allow} on a 405); none by default. */
  protected Response decorate(E exception, Response response) {
    return response;
  }

  private String requestPath() {
    // Null outside a JAX-RS request (unit tests call mappers directly).
    return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
  }
}
