package io.cortexhub.web.api.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.auth.InvalidUserException;
import io.cortexhub.hub.auth.UnknownUserException;
import io.cortexhub.hub.auth.UserExistsException;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.testing.FakeSecurity;
import io.cortexhub.web.testing.LocalAuth;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsersResourceTest {

  private static final FakeSecurity AS_ADMIN =
      FakeSecurity.user("admin", Set.of("admin"), Set.of("*"));

  private final LocalAuth auth = new LocalAuth(new MutableClock(Views.T0));
  private final UsersResource resource = new UsersResource(auth.users());

  @Test
  void create_answers201WithTheUser_neverItsPassword_andRecordsWhoCreatedIt() {
    Response response = resource.create(new NewUserJson("vera", "viewer-password",
        List.of("viewer"), List.of("team-a")), AS_ADMIN);

    UserJson user = (UserJson) response.getEntity();
    assertThat(response.getStatus()).isEqualTo(201);
    assertThat(response.getLocation()).hasToString("users/vera");
    assertThat(user.roles()).containsExactly("viewer");
    assertThat(user.workspaces()).containsExactly("team-a");
    assertThat(user.createdBy()).isEqualTo("admin");
    assertThat(user.toString()).doesNotContain("viewer-password");
    assertThat(auth.users().authenticate("vera", "viewer-password", "t").username())
        .isEqualTo("vera");
  }

  @Test
  void create_refusesUnknownRolesBadFieldsAndTakenNames() {
    assertThatThrownBy(() -> resource.create(new NewUserJson("x", "long-enough-pw",
        List.of("root"), List.of("*")), AS_ADMIN))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("root");
    assertThatThrownBy(() -> resource.create(new NewUserJson("x", "short", List.of("viewer"),
        List.of("*")), AS_ADMIN)).isInstanceOf(InvalidUserException.class);
    assertThatThrownBy(() -> resource.create(null, AS_ADMIN))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.create(new NewUserJson("admin", "long-enough-pw",
        List.of("viewer"), List.of("*")), AS_ADMIN)).isInstanceOf(UserExistsException.class);
  }

  @Test
  void listGetDelete() {
    resource.create(new NewUserJson("vera", "viewer-password", List.of("viewer"),
        List.of("*")), AS_ADMIN);

    assertThat(resource.list()).extracting(UserJson::username).containsExactly("admin", "vera");
    assertThat(resource.get("vera").username()).isEqualTo("vera");
    assertThat(resource.delete("vera", AS_ADMIN).getStatus()).isEqualTo(204);
    assertThatThrownBy(() -> resource.get("vera")).isInstanceOf(UnknownUserException.class);
    assertThatThrownBy(() -> resource.delete("admin", AS_ADMIN))
        .isInstanceOf(InvalidUserException.class);
  }
}
