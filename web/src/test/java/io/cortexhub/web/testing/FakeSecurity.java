package io.cortexhub.web.testing;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A JAX-RS {@link SecurityContext} whose principal is a {@link JsonWebToken} with the given name,
 * groups and workspaces, as Payara's MP-JWT puts it there. Immutable.
 */
public final class FakeSecurity implements SecurityContext {

  private final Principal principal;

  private FakeSecurity(Principal principal) {
    this.principal = principal;
  }

  /** A caller with these roles and workspaces. */
  public static FakeSecurity user(String name, Set<String> groups, Set<String> workspaces) {
    return new FakeSecurity(new FakeJwt(name, Map.of("groups", groups, "workspaces",
        List.copyOf(workspaces))));
  }

  /** An admin of every workspace. */
  public static FakeSecurity admin() {
    return user("admin", Set.of("admin"), Set.of("*"));
  }

  /** An operator of the {@code default} workspace. */
  public static FakeSecurity operator(String name) {
    return user(name, Set.of("operator"), Set.of("default"));
  }

  /** A token with exactly these claims (numbers as Long, arrays as lists). */
  public static FakeSecurity token(String name, Map<String, Object> claims) {
    return new FakeSecurity(new FakeJwt(name, claims));
  }

  /** No principal: a request without a token. */
  public static FakeSecurity anonymous() {
    return new FakeSecurity(null);
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public boolean isUserInRole(String role) {
    return principal instanceof JsonWebToken jwt && jwt.getGroups().contains(role);
  }

  @Override
  public boolean isSecure() {
    return false;
  }

  @Override
  public String getAuthenticationScheme() {
    return principal == null ? null : "MP-JWT";
  }

  private record FakeJwt(String name, Map<String, Object> claims) implements JsonWebToken {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public Set<String> getClaimNames() {
      return claims.keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
      Object value = claims.get(claimName);
      if ("groups".equals(claimName) && value != null) {
        return (T) Set.copyOf((java.util.Collection<String>) value);
      }
      return (T) value;
    }

    @Override
    public Set<String> getGroups() {
      Set<String> groups = getClaim("groups");
      return groups == null ? Set.of() : groups;
    }
  }
}
