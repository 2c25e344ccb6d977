package io.cortexhub.hub.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do, carried in the token's {@code groups} claim (MP-JWT maps groups to roles).
 *
 * <p>Roles do not imply each other in the token: an admin's token lists only {@code admin}, and each
 * REST resource names every role it admits, so an external issuer's tokens work the same way.
 */
public enum Role {
  /** Everything, including users, join tokens, node revocation, CA rotation and workspaces. */
  ADMIN,
  /** Read, and submit or cancel tasks. */
  OPERATOR,
  /** Read only. */
  VIEWER;

  /** Role names as used in tokens and {@code @RolesAllowed}. */
  public static final String ADMIN_NAME = "admin";
  public static final String OPERATOR_NAME = "operator";
  public static final String VIEWER_NAME = "viewer";

  /** The name in tokens and the REST API: lower case. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this lower-case name, if any. */
  public static Optional<Role> of(String id) {
    return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
  }
}
