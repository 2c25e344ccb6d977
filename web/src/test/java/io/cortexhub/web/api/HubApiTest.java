package io.cortexhub.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.web.api.audit.AuditResource;
import io.cortexhub.web.api.auth.AuthResource;
import io.cortexhub.web.api.auth.TokenTimesFilter;
import io.cortexhub.web.api.nodes.NodesResource;
import io.cortexhub.web.api.problem.UnexpectedExceptionMapper;
import io.cortexhub.web.api.problem.WebApplicationExceptionMapper;
import io.cortexhub.web.api.tasks.TaskOutputResource;
import io.cortexhub.web.api.tasks.TasksResource;
import io.cortexhub.web.api.users.UsersResource;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.junit.jupiter.api.Test;

class HubApiTest {

  @Test
  void application_registersEveryResourceAndTheCatchAllMappers() {
    var classes = new HubApi().getClasses();

    assertThat(classes).contains(NodesResource.class, TasksResource.class,
        TaskOutputResource.class, AuditResource.class, AuthResource.class, UsersResource.class,
        TokenTimesFilter.class, WebApplicationExceptionMapper.class,
        UnexpectedExceptionMapper.class);
    assertThat(classes.stream().filter(ExceptionMapper.class::isAssignableFrom)).hasSize(25);
  }
}
