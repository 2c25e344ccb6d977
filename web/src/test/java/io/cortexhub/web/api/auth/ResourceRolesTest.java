package io.cortexhub.web.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.web.api.HubApi;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.auth.LoginConfig;
import org.junit.jupiter.api.Test;

/**
 * Payara enforces exactly the {@code @RolesAllowed} it finds (method first, then class): a
 * resource method without one would be open to anyone. This pins down every method's roles.
 */
class ResourceRolesTest {

  private static final Set<String> READ = Set.of("viewer", "operator", "admin");
  private static final Set<String> WRITE = Set.of("operator", "admin");
  private static final Set<String> ADMIN = Set.of("admin");

  @Test
  void theApplicationUsesMpJwt() {
    LoginConfig login = HubApi.class.getAnnotation(LoginConfig.class);

    assertThat(login).isNotNull();
    assertThat(login.authMethod()).isEqualTo("MP-JWT");
  }

  @Test
  void everyResourceMethod_namesItsRoles_andOnlyTheTokenEndpointsAreOpen() {
    List<String> open = new ArrayList<>();
    for (Class<?> type : new HubApi().getClasses()) {
      if (type.getAnnotation(Path.class) == null) {
        continue;
      }
      for (Method m : httpMethods(type)) {
        if (m.isAnnotationPresent(PermitAll.class)) {
          open.add(type.getSimpleName() + "." + m.getName());
          continue;
        }
        assertThat(roles(type, m)).as(type.getSimpleName() + "." + m.getName()).isNotEmpty();
      }
    }

    assertThat(open).containsExactlyInAnyOrder("AuthResource.token", "AuthResource.jwks");
  }

  @Test
  void reads_admitEveryRole_writes_operatorsAndAdmins_users_adminsOnly() throws Exception {
    assertThat(roles(io.cortexhub.web.api.nodes.NodesResource.class, "list")).isEqualTo(READ);
    assertThat(roles(io.cortexhub.web.api.tasks.TasksResource.class, "recent")).isEqualTo(READ);
    assertThat(roles(io.cortexhub.web.api.tasks.TasksResource.class, "get")).isEqualTo(READ);
    assertThat(roles(io.cortexhub.web.api.tasks.TaskOutputResource.class, "read"))
        .isEqualTo(READ);
    assertThat(roles(io.cortexhub.web.api.audit.AuditResource.class, "checkpoints"))
        .isEqualTo(READ);
    assertThat(roles(io.cortexhub.web.api.tasks.TasksResource.class, "submit")).isEqualTo(WRITE);
    assertThat(roles(io.cortexhub.web.api.tasks.TasksResource.class, "submitBatch"))
        .isEqualTo(WRITE);
    assertThat(roles(io.cortexhub.web.api.tasks.TasksResource.class, "cancel")).isEqualTo(WRITE);
    assertThat(roles(io.cortexhub.web.api.users.UsersResource.class, "create")).isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.users.UsersResource.class, "list")).isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.users.UsersResource.class, "delete")).isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.nodes.NodesResource.class, "revoke")).isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.admin.JoinTokensResource.class, "create"))
        .isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.admin.JoinTokensResource.class, "list"))
        .isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.admin.JoinTokensResource.class, "revoke"))
        .isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.admin.CaResource.class, "start")).isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.admin.CaResource.class, "finish")).isEqualTo(ADMIN);
    assertThat(roles(io.cortexhub.web.api.admin.WorkspacesResource.class, "put"))
        .isEqualTo(ADMIN);
  }

  private static Set<String> roles(Class<?> type, String method) {
    Method m = httpMethods(type).stream().filter(x -> x.getName().equals(method)).findFirst()
        .orElseThrow(() -> new AssertionError(type.getSimpleName() + "." + method));
    return roles(type, m);
  }

  private static Set<String> roles(Class<?> type, Method m) {
    RolesAllowed roles = m.isAnnotationPresent(RolesAllowed.class)
        ? m.getAnnotation(RolesAllowed.class) : type.getAnnotation(RolesAllowed.class);
    return roles == null ? Set.of() : new TreeSet<>(List.of(roles.value()));
  }

  private static List<Method> httpMethods(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class)
          || m.isAnnotationPresent(PUT.class) || m.isAnnotationPresent(DELETE.class)) {
        out.add(m);
      }
    }
    return out;
  }
}
