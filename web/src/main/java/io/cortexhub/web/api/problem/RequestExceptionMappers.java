package io.cortexhub.web.api.problem;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The mappers of bad requests caught by the REST layer: unreadable JSON, values of the wrong type,
 * Bean Validation failures and the layer's own {@link InvalidRequestException}.
 */
public final class RequestExceptionMappers {

  private RequestExceptionMappers() {}

  /** Every mapper declared here, for registration with the JAX-RS application. */
  public static List<Class<?>> all() {
    return List.of(
        InvalidRequestMapper.class,
        JsonbMapper.class,
        JsonMapper.class,
        ProcessingMapper.class,
        ConstraintViolationMapper.class);
  }

  /** {@link InvalidRequestException} → 400 invalid-request. */
  @Provider
  public static final class InvalidRequestMapper extends ProblemMapper<InvalidRequestException> {
    @Override
    protected Problem problemFor(InvalidRequestException exception) {
      return ProblemType.INVALID_REQUEST.problem(exception.getMessage());
    }
  }

  /** A body JSON-B cannot bind (bad syntax, wrong type for a field) → 400 malformed-request. */
  @Provider
  public static final class JsonbMapper extends ProblemMapper<JsonbException> {
    @Override
    protected Problem problemFor(JsonbException exception) {
      return malformed(exception);
    }
  }

  /** A body JSON-P cannot parse → 400 malformed-request. */
  @Provider
  public static final class JsonMapper extends ProblemMapper<JsonException> {
    @Override
    protected Problem problemFor(JsonException exception) {
      return malformed(exception);
    }
  }

  /**
   * The JSON-B entity provider wraps binding failures in a {@link ProcessingException}: those are the
   * client's fault (400); any other processing failure is the hub's (500, logged).
   */
  @Provider
  public static final class ProcessingMapper extends ProblemMapper<ProcessingException> {
    @Override
    protected Problem problemFor(ProcessingException exception) {
      if (jsonCause(exception)) {
        return malformed(exception);
      }
      return UnexpectedExceptionMapper.internalError(exception);
    }
  }

  /**
   * Bean Validation of parameters and bodies → 400 invalid-request listing each violation as {@code
   * path: message}. A violated constraint on a return value is a hub bug → 500 (JAX-RS 2.1 §7.6).
   */
  @Provider
  public static final class ConstraintViolationMapper
      extends ProblemMapper<ConstraintViolationException> {
    @Override
    protected Problem problemFor(ConstraintViolationException exception) {
      boolean returnValue =
          exception.getConstraintViolations().stream()
              .anyMatch(v -> kinds(v.getPropertyPath()).contains(ElementKind.RETURN_VALUE));
      if (returnValue) {
        return UnexpectedExceptionMapper.internalError(exception);
      }
      String detail =
          exception.getConstraintViolations().stream()
              .map(v -> fieldName(v) + ": " + v.getMessage())
              .sorted()
              .collect(Collectors.joining("; "));
      return ProblemType.INVALID_REQUEST.problem(detail);
    }
  }

  /** True if a JSON parsing or binding error is somewhere in the cause chain. */
  static boolean jsonCause(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof JsonbException || t instanceof JsonException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A malformed-request problem whose detail strings together the distinct messages of the cause
   * chain: the outer one says which property failed, the inner ones where the syntax broke.
   */
  static Problem malformed(Throwable exception) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = exception; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && !messages.contains(message)) {
        messages.add(message);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String reason = messages.isEmpty() ? "unreadable body" : String.join(": ", messages);
    return ProblemType.MALFORMED_REQUEST.problem("request body is not valid JSON for this resource: "
        + reason);
  }

  /**
   * The violated field as a client knows it: the path without the resource method's name, e.g.
   * {@code limit} or {@code body.timeoutSeconds}.
   */
  static String fieldName(ConstraintViolation<?> violation) {
    List<String> names = new ArrayList<>();
    for (Path.Node node : violation.getPropertyPath()) {
      if (node.getKind() != ElementKind.METHOD && node.getKind() != ElementKind.CONSTRUCTOR
          && node.getName() != null) {
        names.add(node.getName());
      }
    }
    return names.isEmpty() ? "request" : String.join(".", names);
  }

  private static List<ElementKind> kinds(Path path) {
    List<ElementKind> kinds = new ArrayList<>();
    path.forEach(node -> kinds.add(node.getKind()));
    return kinds;
  }
}
