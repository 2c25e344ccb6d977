package io.cortexhub.web.api.problem;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem details object: the body of every error response of the REST API.
 *
 * <p>The body is rendered to a JSON string here rather than left to the JSON-B provider, so an error
 * is written the same way whatever the client asked for in {@code Accept} (a failed Server-Sent
 * Events request still gets a readable problem). Immutable and thread-safe.
 *
 * @param type URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title short summary of the kind of problem, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, for a human
 * @param instance the request path this occurrence concerns, if known
 */
public record Problem(URI type, String title, int status, String detail, Optional<String> instance) {

  /** Media type of problem details in JSON (RFC 9457 section 3). */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** {@link #MEDIA_TYPE} as a JAX-RS media type. */
  public static final MediaType MEDIA_TYPE_JSON = MediaType.valueOf(MEDIA_TYPE);

  /** Type used when the HTTP status code alone describes the problem (RFC 9457 section 4.2.1). */
  public static final URI ABOUT_BLANK = URI.create("about:blank");

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a problem has a 4xx or 5xx status, got " + status);
    }
    detail = detail == null ? "" : detail;
    Objects.requireNonNull(instance, "instance");
  }

  /** This problem about the given request path. */
  public Problem at(String path) {
    return new Problem(type, title, status, detail, Optional.ofNullable(path));
  }

  /** The JSON body: {@code type, title, status, detail} and, when known, {@code instance}. */
  public String toJson() {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("type", type.toString())
            .add("title", title)
            .add("status", status)
            .add("detail", detail);
    instance.ifPresent(path -> json.add("instance", path));
    return json.build().toString();
  }

  /** A complete HTTP response carrying this problem. */
  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE_JSON).entity(toJson()).build();
  }
}
