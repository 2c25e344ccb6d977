package io.cortexhub.web.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.auth.Role;
import io.cortexhub.web.testing.FakeSecurity;
import jakarta.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

  @Test
  void tokenCaller_hasItsNameRolesAndWorkspaces() {
    Caller caller = Caller.of(FakeSecurity.user("olga", Set.of("operator"), Set.of("team-a")));

    assertThat(caller.name()).isEqualTo("olga");
    assertThat(caller.has(Role.OPERATOR)).isTrue();
    assertThat(caller.has(Role.ADMIN)).isFalse();
    assertThat(caller.sees("team-a")).isTrue();
    assertThat(caller.sees("team-b")).isFalse();
    assertThat(caller.allWorkspaces()).isFalse();
  }

  @Test
  void wildcardWorkspace_seesEverything() {
    Caller caller = Caller.of(FakeSecurity.user("root", Set.of("admin"), Set.of("*")));

    assertThat(caller.sees("anything")).isTrue();
    assertThat(caller.allWorkspaces()).isTrue();
  }

  @Test
  void workspacesAsJsonArray_asPayaraGivesThem_areRead() {
    Caller caller = Caller.of(FakeSecurity.token("p", Map.of("groups", Set.of("viewer"),
        "workspaces", Json.createArrayBuilder().add("x").add("y").build())));

    assertThat(caller.workspaces()).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void noToken_isAnonymousWithNothing() {
    Caller caller = Caller.of(FakeSecurity.anonymous());

    assertThat(caller.name()).isEqualTo("anonymous");
    assertThat(caller.roles()).isEmpty();
    assertThat(caller.sees("default")).isFalse();
  }

  @Test
  void workspacesClaimOfAnotherShape_givesNoWorkspace() {
    Caller caller = Caller.of(FakeSecurity.token("p", Map.of("workspaces", "default",
        "groups", List.of("viewer"))));

    assertThat(caller.workspaces()).isEmpty();
  }
}
