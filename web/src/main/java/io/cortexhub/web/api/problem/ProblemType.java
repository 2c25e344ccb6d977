package io.cortexhub.web.api.problem;

import java.net.URI;
import java.util.Optional;

/**
 * The kinds of problem the REST API reports, each with a stable type URI, title and status.
 *
 * <p>Clients may branch on {@link #uri()}; titles are for humans and may be reworded. The URIs are
 * URNs, not links: no documentation server is promised at a web address.
 */
public enum ProblemType {
  /** The request body is not JSON, or a value has the wrong JSON type. */
  MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
  /** The request is well-formed JSON but a field is missing, out of range or contradictory. */
  INVALID_REQUEST("invalid-request", "Invalid request", 400),
  /** A path names a node the hub has never seen. */
  UNKNOWN_NODE("unknown-node", "Unknown node", 404),
  /** A path names a task that does not exist. */
  UNKNOWN_TASK("unknown-task", "Unknown task", 404),
  /** The task is in a final state and cannot change any more. */
  TASK_ALREADY_FINISHED("task-already-finished", "Task already finished", 409),
  /** The node that holds the requested evidence is not connected or did not answer in time. */
  NODE_UNAVAILABLE("node-unavailable", "Node unavailable", 503),
  /** The request needs a bearer token and carries none (or the resource needs a user). */
  UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
  /** The bearer token was refused: bad signature, expired, wrong issuer or audience... */
  INVALID_TOKEN("invalid-token", "Invalid bearer token", 401),
  /** The caller's roles do not allow this operation. */
  FORBIDDEN("forbidden", "Forbidden", 403),
  /** Wrong user name or password at {@code POST /auth/token}. */
  INVALID_CREDENTIALS("invalid-credentials", "Invalid credentials", 401),
  /** Too many failed logins recently; {@code Retry-After} says when to try again. */
  TOO_MANY_ATTEMPTS("too-many-attempts", "Too many attempts", 429),
  /** The hub trusts an external token issuer and issues no tokens itself. */
  TOKEN_ISSUING_DISABLED("token-issuing-disabled", "Tokens come from an external issuer", 409),
  /** A path names a user that does not exist. */
  UNKNOWN_USER("unknown-user", "Unknown user", 404),
  /** A user with this name exists already. */
  USER_EXISTS("user-exists", "User exists", 409),
  /** A path names a join token that does not exist (in the caller's workspaces). */
  UNKNOWN_JOIN_TOKEN("unknown-join-token", "Unknown join token", 404),
  /** A request names a workspace that does not exist. */
  UNKNOWN_WORKSPACE("unknown-workspace", "Unknown workspace", 404),
  /** A CA rotation step is not possible now (one runs already, none runs, operator CA). */
  CA_ROTATION_CONFLICT("ca-rotation-conflict", "CA rotation not possible now", 409),
  /** Something failed inside the hub; the details are in the hub's log, not in the response. */
  INTERNAL_ERROR("internal-error", "Internal server error", 500);

  private static final String URN_PREFIX = "urn:cortexhub:problem:";

  private final URI uri;
  private final String title;
  private final int status;

  ProblemType(String slug, String title, int status) {
    this.uri = URI.create(URN_PREFIX + slug);
    this.title = title;
    this.status = status;
  }

  public URI uri() {
    return uri;
  }

  public String title() {
    return title;
  }

  public int status() {
    return status;
  }

  /** A problem of this type with the given detail and no instance yet. */
  public Problem problem(String detail) {
    return new Problem(uri, title, status, detail, Optional.empty());
  }
}
