package io.cortexhub.web.api.auth;

import io.cortexhub.hub.auth.Role;

/**
 * The role sets the resources admit, as compile-time constants for {@code @RolesAllowed}. Tokens
 * carry exactly the user's roles (an admin's lists only {@code admin}), so each set names every
 * role it admits.
 */
public final class Roles {

  /** Anyone with a role: read access. */
  public static final String VIEWER = Role.VIEWER_NAME;
  /** Submit and cancel tasks. */
  public static final String OPERATOR = Role.OPERATOR_NAME;
  /** Everything. */
  public static final String ADMIN = Role.ADMIN_NAME;

  private Roles() {}
}
