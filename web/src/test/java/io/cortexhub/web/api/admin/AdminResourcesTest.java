package io.cortexhub.web.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.pki.CaRotationException;
import io.cortexhub.web.api.auth.NotPermittedException;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.testing.AdminFakes;
import io.cortexhub.web.testing.FakeSecurity;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminResourcesTest {

  private static final FakeSecurity ROOT = FakeSecurity.admin();
  private static final FakeSecurity TEAM_ADMIN =
      FakeSecurity.user("ann", Set.of("admin"), Set.of("team-a"));

  @Test
  void createJoinToken_answersTheSecretOnce_withTheContractsFields() {
    AdminFakes.Tokens store = new AdminFakes.Tokens();
    JoinTokensResource resource = new JoinTokensResource(store);

    Response created = resource.create(new JoinTokenRequestJson("team-a", Map.of("os", "linux"),
        600L, 3), TEAM_ADMIN);

    IssuedJoinTokenJson token = (IssuedJoinTokenJson) created.getEntity();
    assertThat(created.getStatus()).isEqualTo(201);
    assertThat(created.getHeaderString("Cache-Control")).contains("no-store");
    assertThat(token.tokenId()).isEqualTo("jt-1");
    assertThat(token.token()).isEqualTo("jt-1.secret");
    assertThat(token.workspace()).isEqualTo("team-a");
    assertThat(token.toString()).doesNotContain("secret");
    JoinTokenJson listed = resource.list(TEAM_ADMIN).get(0);
    assertThat(listed.labels()).containsEntry("os", "linux");
    assertThat(listed.usesLeft()).isEqualTo(3);
    assertThat(listed.createdBy()).isEqualTo("ann");
    assertThat(listed.expiresAt()).isEqualTo("2025-11-25T10:10:00Z");
  }

  @Test
  void createJoinToken_refusesNonPositiveTtlAndUses() {
    JoinTokensResource resource = new JoinTokensResource(new AdminFakes.Tokens());

    assertThatThrownBy(() -> resource.create(new JoinTokenRequestJson(null, null, 0L, null), ROOT))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ttlSeconds");
    assertThatThrownBy(() -> resource.create(new JoinTokenRequestJson(null, null, null, -1), ROOT))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("uses");
  }

  @Test
  void revokeJoinToken_answers204() {
    AdminFakes.Tokens store = new AdminFakes.Tokens();
    JoinTokensResource resource = new JoinTokensResource(store);
    resource.create(null, ROOT);

    assertThat(resource.revoke("jt-1", ROOT).getStatus()).isEqualTo(204);
    assertThat(store.revoked()).containsExactly("jt-1");
  }

  @Test
  void caRotation_startAndFinish_needAnAdminOfEveryWorkspace() {
    CaResource resource = new CaResource(new AdminFakes.Ca());

    assertThat(resource.status().activeFingerprint()).isEqualTo("sha256:old");
    assertThatThrownBy(() -> resource.start(TEAM_ADMIN))
        .isInstanceOf(NotPermittedException.class).hasMessageContaining("rotate the hub CA");

    CaResource.CaStatusJson started = resource.start(ROOT);
    assertThat(started.trustedFingerprints()).containsExactly("sha256:new", "sha256:old");
    assertThat(started.rotationStartedAt()).isNotNull();
    assertThatThrownBy(() -> resource.start(ROOT)).isInstanceOf(CaRotationException.class);
    CaResource.CaStatusJson finished = resource.finish(ROOT);
    assertThat(finished.trustedFingerprints()).containsExactly("sha256:new");
    assertThat(finished.rotationStartedAt()).isNull();
  }

  @Test
  void workspaces_listedWithinScope_changedOnlyByAnAdminOfEveryWorkspace() {
    WorkspacesResource resource =
        new WorkspacesResource(new AdminFakes.Workspaces("default", "team-a", "team-b"));

    assertThat(resource.list(TEAM_ADMIN)).extracting(WorkspacesResource.WorkspaceJson::name)
        .containsExactly("team-a");
    assertThatThrownBy(() -> resource.put("team-a",
        new WorkspacesResource.GrantsJson(List.of("shell")), TEAM_ADMIN))
        .isInstanceOf(NotPermittedException.class);

    WorkspacesResource.WorkspaceJson saved = resource.put("team-c",
        new WorkspacesResource.GrantsJson(List.of("shell", "echo")), ROOT);
    assertThat(saved.grantedCapabilities()).containsExactly("echo", "shell");
    assertThat(resource.list(ROOT)).hasSize(4);
    assertThatThrownBy(() -> resource.put("Bad Name",
        new WorkspacesResource.GrantsJson(List.of("*")), ROOT))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.put("team-d", null, ROOT))
        .isInstanceOf(InvalidRequestException.class);
  }
}
