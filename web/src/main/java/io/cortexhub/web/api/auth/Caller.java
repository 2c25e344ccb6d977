package io.cortexhub.web.api.auth;

import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.Workspaces;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.hub.workspace.WorkspaceScope;
import io.cortexhub.web.api.problem.InvalidRequestException;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as the resources need it: a name for {@code requestedBy} and logs, roles, and the
 * workspaces the caller may see (from the token's {@code workspaces} claim; {@code "*"} = all).
 *
 * @param name the token's {@code upn} / {@code preferred_username} / {@code sub} as MP-JWT names it
 * @param roles role names from {@code groups}
 * @param workspaces workspace names, or {@code "*"}; empty when the token has none
 */
public record Caller(String name, Set<String> roles, Set<String> workspaces) {

  public Caller {
    Objects.requireNonNull(name, "name");
    roles = Set.copyOf(roles);
    workspaces = Set.copyOf(workspaces);
  }

  /** The caller of this request; {@link #anonymous()} when no token was presented. */
  public static Caller of(SecurityContext security) {
    Principal principal = security == null ? null : security.getUserPrincipal();
    if (principal instanceof JsonWebToken jwt) {
      return new Caller(Optional.ofNullable(jwt.getName()).orElse("?"),
          Optional.ofNullable(jwt.getGroups()).orElse(Set.of()),
          strings(jwt.getClaim("workspaces")));
    }
    if (principal != null) {
      return new Caller(principal.getName(), Set.of(), Set.of());
    }
    return anonymous();
  }

  /** No token: no role, no workspace. */
  public static Caller anonymous() {
    return new Caller("anonymous", Set.of(), Set.of());
  }

  /** Whether the caller sees every workspace. */
  public boolean allWorkspaces() {
    return workspaces.contains(Workspaces.ALL);
  }

  /** Whether the caller may see {@code workspace}. */
  public boolean sees(String workspace) {
    return allWorkspaces() || workspaces.contains(workspace);
  }

  public boolean has(Role role) {
    return roles.contains(role.id());
  }

  /** The caller's workspaces as the hub's services take them. */
  public WorkspaceScope scope() {
    return WorkspaceScope.of(workspaces);
  }

  /**
   * The workspace a new object (task, join token) goes to: the one {@code requested}, else the
   * caller's only workspace, else {@code default}.
   *
   * @throws InvalidRequestException when {@code requested} is not a valid workspace name
   * @throws NotPermittedException when the caller may not act in that workspace
   */
  public WorkspaceId workspaceFor(String requested) {
    WorkspaceId workspace;
    if (requested != null && !requested.isBlank()) {
      if (!WorkspaceId.isValid(requested.trim())) {
        throw new InvalidRequestException("workspace: 1 to 64 of a-z 0-9 . _ -, starting with a"
            + " letter or digit");
      }
      workspace = new WorkspaceId(requested.trim());
    } else if (!allWorkspaces() && workspaces.size() == 1) {
      workspace = new WorkspaceId(workspaces.iterator().next());
    } else {
      workspace = WorkspaceId.DEFAULT;
    }
    if (!sees(workspace.value())) {
      throw new NotPermittedException("the caller's token does not include workspace '"
          + workspace.value() + "'");
    }
    return workspace;
  }

  /**
   * This caller, if their token covers every workspace ({@code "*"}).
   *
   * @param what the operation, for the message
   * @throws NotPermittedException otherwise
   */
  public Caller requireAllWorkspaces(String what) {
    if (!allWorkspaces()) {
      throw new NotPermittedException("only an admin of every workspace (\"*\") may " + what);
    }
    return this;
  }

  /**
   * A claim's strings: Payara hands custom array claims over as JSON-P values, other runtimes
   * (and tests) as collections of strings.
   */
  static Set<String> strings(Object claim) {
    Set<String> out = new HashSet<>();
    if (claim instanceof JsonArray array) {
      for (JsonValue v : array) {
        if (v instanceof JsonString s) {
          out.add(s.getString());
        }
      }
    } else if (claim instanceof Collection<?> values) {
      for (Object v : values) {
        if (v instanceof String s) {
          out.add(s);
        } else if (v instanceof JsonString s) {
          out.add(s.getString());
        }
      }
    }
    return out;
  }
}
