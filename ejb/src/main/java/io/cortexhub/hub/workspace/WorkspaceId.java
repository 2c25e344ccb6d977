package io.cortexhub.hub.workspace;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a workspace: 1..64 characters of lower-case letters, digits, '.', '_' and '-',
 * starting with a letter or digit. Names appear in certificates (SAN URIs), tokens and URLs, so
 * the alphabet is deliberately small.
 */
public record WorkspaceId(String value) {
  // Before DEFAULT: static initializers run in order, and DEFAULT's constructor needs it.
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** The workspace every hub has, granting every capability until an admin narrows it. */
  public static final WorkspaceId DEFAULT = new WorkspaceId("default");

  public WorkspaceId {
    Objects.requireNonNull(value, "value");
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("workspace name must be 1..64 characters of [a-z0-9._-]"
          + " starting with a letter or digit, got '" + abbreviate(value) + "'");
    }
  }

  /** Whether {@code name} is a valid workspace name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** {@code name}, or the default workspace when it is null or blank. */
  public static WorkspaceId orDefault(String name) {
    return name == null || name.isBlank() ? DEFAULT : new WorkspaceId(name.trim());
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  @Override
  public String toString() {
    return value;
  }
}
