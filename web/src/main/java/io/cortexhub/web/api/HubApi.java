package io.cortexhub.web.api;

import io.cortexhub.web.api.audit.AuditResource;
import io.cortexhub.web.api.nodes.NodesResource;
import io.cortexhub.web.api.problem.DomainExceptionMappers;
import io.cortexhub.web.api.problem.RequestExceptionMappers;
import io.cortexhub.web.api.problem.UnexpectedExceptionMapper;
import io.cortexhub.web.api.problem.WebApplicationExceptionMapper;
import io.cortexhub.web.api.tasks.TaskOutputResource;
import io.cortexhub.web.api.tasks.TasksResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;

/**
 * The REST API of the hub, version 1, under {@code /api/v1} of the application's context root.
 *
 * <p>Resources and providers are listed here rather than found by scanning, so what the API consists
 * of is visible in one place and a stray {@code @Provider} elsewhere on the class path cannot change
 * its error handling. The API is open (no authentication) until the security work adds JWT.
 */
@ApplicationPath(HubApi.PATH)
@OpenAPIDefinition(
    info = @Info(
        title = "Cortex Hub API",
        version = "v1",
        description = "Nodes, tasks and task output of a Cortex hub. Every error is an RFC 9457"
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
    classes.addAll(DomainExceptionMappers.all());
    classes.addAll(RequestExceptionMappers.all());
    classes.add(WebApplicationExceptionMapper.class);
    classes.add(UnexpectedExceptionMapper.class);
    return Set.copyOf(classes);
  }
}
