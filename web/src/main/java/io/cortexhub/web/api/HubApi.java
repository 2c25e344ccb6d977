package io.cortexhub.web.api;

import io.cortexhub.web.api.admin.CaResource;
import io.cortexhub.web.api.admin.JoinTokensResource;
import io.cortexhub.web.api.admin.WorkspacesResource;
import io.cortexhub.web.api.audit.AuditResource;
import io.cortexhub.web.api.auth.AuthResource;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.auth.TokenTimesFilter;
import io.cortexhub.web.api.nodes.NodesResource;
import io.cortexhub.web.api.problem.AdminExceptionMappers;
import io.cortexhub.web.api.problem.AuthExceptionMappers;
import io.cortexhub.web.api.problem.DomainExceptionMappers;
import io.cortexhub.web.api.problem.RequestExceptionMappers;
import io.cortexhub.web.api.problem.UnexpectedExceptionMapper;
import io.cortexhub.web.api.problem.WebApplicationExceptionMapper;
import io.cortexhub.web.api.tasks.TaskOutputResource;
import io.cortexhub.web.api.tasks.TasksResource;
import io.cortexhub.web.api.users.UsersResource;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;

/**
 * The REST API of the hub, version 1, under {@code /api/v1} of the application's context root.
 *
 * <p>Resources and providers are listed here rather than found by scanning, so what the API consists
 * of is visible in one place and a stray {@code @Provider} elsewhere on the class path cannot change
 * its error handling.
 *
 * <p>Authentication is MicroProfile JWT ({@code @LoginConfig}): every resource names the roles it
 * admits with {@code @RolesAllowed} (the token's {@code groups}), and Payara verifies the bearer
 * token with the key and issuer that {@code hub.auth.token.MpJwtConfigSource} supplies. Only
 * {@code POST /auth/token} and {@code GET /auth/jwks} are open. Application-scoped, because
 * Payara's MP-JWT finds {@code @LoginConfig} on CDI beans only.
 */
@ApplicationPath(HubApi.PATH)
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT", realmName = "cortex-hub")
@DeclareRoles({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
@OpenAPIDefinition(
    info = @Info(
        title = "Cortex Hub API",
        version = "v1",
        description = "Nodes, tasks and task output of a Cortex hub. Every request but POST"
            + " /auth/token needs `Authorization: Bearer <token>`. Every error is an RFC 9457"
            + " problem (application/problem+json).",
        license = @License(name = "Proprietary")))
public class HubApi extends Application {

  /** Path of the API below the context root. */
  public static final String PATH = "/api/v1";

  @Override
  public Set<Class<?>> getClasses() {
    Set<Class<?>> classes = new HashSet<>();
    classes.add(NodesResource.class);
    classes.add(TasksResource.class);
    classes.add(TaskOutputResource.class);
    classes.add(AuditResource.class);
    classes.add(AuthResource.class);
    classes.add(UsersResource.class);
    classes.add(JoinTokensResource.class);
    classes.add(CaResource.class);
    classes.add(WorkspacesResource.class);
    classes.addAll(AdminExceptionMappers.all());
    classes.add(TokenTimesFilter.class);
    classes.addAll(AuthExceptionMappers.all());
    classes.addAll(DomainExceptionMappers.all());
    classes.addAll(RequestExceptionMappers.all());
    classes.add(WebApplicationExceptionMapper.class);
    classes.add(UnexpectedExceptionMapper.class);
    return Set.copyOf(classes);
  }
}
