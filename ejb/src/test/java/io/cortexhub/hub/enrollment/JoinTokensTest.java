package io.cortexhub.hub.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.enrollment.JoinTokenRefusedException.Reason;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.testing.TestDatabase;
import io.cortexhub.hub.workspace.JdbcWorkspaceDirectory;
import io.cortexhub.hub.workspace.UnknownWorkspaceException;
import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.hub.workspace.WorkspaceScope;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JoinTokensTest {
  private static final WorkspaceId BLUE = new WorkspaceId("blue");

  private final FakeClock clock = new FakeClock();
  private final TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2);
  private final JdbcWorkspaceDirectory workspaces = new JdbcWorkspaceDirectory(db.dataSource(),
      clock);
  private final JdbcJoinTokens tokens = new JdbcJoinTokens(db.dataSource(), workspaces, clock,
      new SecureRandom());

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  private static Reason refusal(Runnable r) {
    try {
      r.run();
    } catch (JoinTokenRefusedException e) {
      return e.reason();
    }
    throw new AssertionError("the token was accepted");
  }

  @Test
  void token_isOneTimeByDefault_andCarriesWorkspaceAndLabels() throws Exception {
    workspaces.save(new Workspace(BLUE, Set.of("echo")));
    IssuedJoinToken t = tokens.create(new JoinTokenRequest(BLUE, Map.of("zone", "a"), null, 0,
        "admin"));

    assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(t.token()).startsWith(t.tokenId() + ".");
    assertThat(t.toString()).doesNotContain(t.token());
    JoinTokenGrant grant = tokens.redeem(t.token());
    assertThat(grant).isEqualTo(new JoinTokenGrant(t.tokenId(), BLUE, Map.of("zone", "a")));
    assertThat(refusal(() -> tokens.redeem(t.token()))).isEqualTo(Reason.USED);
    assertThat(tokens.list(WorkspaceScope.all())).singleElement().satisfies(v -> {
      assertThat(v.usesLeft()).isZero();
      assertThat(v.createdBy()).isEqualTo("admin");
      assertThat(v.usableAt(clock.instant())).isFalse();
    });
  }

  @Test
  void onlyTheHashOfTheSecretIsStored() throws Exception {
    IssuedJoinToken t = tokens.create(JoinTokenRequest.of(WorkspaceId.DEFAULT, "admin"));
    String secret = t.token().substring(t.token().indexOf('.') + 1);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from cortex_join_token")) {
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        assertThat(String.valueOf(rs.getObject(i))).doesNotContain(secret);
      }
    }
  }

  @Test
  void expiredRevokedUnknownAndMalformedTokens_areRefusedWithTheirReason() {
    IssuedJoinToken expiring = tokens.create(new JoinTokenRequest(WorkspaceId.DEFAULT, Map.of(),
        Duration.ofMinutes(1), 1, "admin"));
    IssuedJoinToken revoked = tokens.create(JoinTokenRequest.of(WorkspaceId.DEFAULT, "admin"));
    tokens.revoke(revoked.tokenId());
    clock.advance(Duration.ofMinutes(1));

    assertThat(refusal(() -> tokens.redeem(expiring.token()))).isEqualTo(Reason.EXPIRED);
    assertThat(refusal(() -> tokens.redeem(revoked.token()))).isEqualTo(Reason.REVOKED);
    String wrongSecret = revoked.tokenId() + "." + "A".repeat(43);
    assertThat(refusal(() -> tokens.redeem(wrongSecret))).isEqualTo(Reason.UNKNOWN);
    assertThat(refusal(() -> tokens.redeem("jt-0000000000000000." + "A".repeat(43))))
        .isEqualTo(Reason.UNKNOWN);
    assertThat(refusal(() -> tokens.redeem("hello"))).isEqualTo(Reason.MALFORMED);
    assertThat(refusal(() -> tokens.redeem(null))).isEqualTo(Reason.MALFORMED);
    assertThatThrownBy(() -> tokens.redeem("hello"))
        .hasMessage("join token refused: not a join token");
  }

  @Test
  void multiUseToken_allowsExactlyItsUses() {
    IssuedJoinToken t = tokens.create(new JoinTokenRequest(WorkspaceId.DEFAULT, Map.of(),
        Duration.ofHours(1), 3, "admin"));
    for (int i = 0; i < 3; i++) {
      tokens.redeem(t.token());
    }
    assertThat(refusal(() -> tokens.redeem(t.token()))).isEqualTo(Reason.USED);
  }

  @Test
  void badRequests_areRefusedNamingTheField() {
    assertThatThrownBy(() -> tokens.create(new JoinTokenRequest(WorkspaceId.DEFAULT, Map.of(),
        Duration.ofDays(31), 1, "a"))).isInstanceOf(InvalidJoinTokenRequestException.class)
        .hasMessageStartingWith("ttl:");
    assertThatThrownBy(() -> tokens.create(new JoinTokenRequest(WorkspaceId.DEFAULT, Map.of(),
        Duration.ofSeconds(-1), 1, "a"))).hasMessageStartingWith("ttl:");
    assertThatThrownBy(() -> tokens.create(new JoinTokenRequest(WorkspaceId.DEFAULT, Map.of(),
        null, -2, "a"))).hasMessageStartingWith("uses:");
    assertThatThrownBy(() -> tokens.create(new JoinTokenRequest(WorkspaceId.DEFAULT,
        Map.of("bad key", "v"), null, 1, "a"))).hasMessageStartingWith("labels:");
    assertThatThrownBy(() -> tokens.create(JoinTokenRequest.of(new WorkspaceId("nowhere"), "a")))
        .isInstanceOf(UnknownWorkspaceException.class);
    assertThatThrownBy(() -> tokens.revoke("jt-nope")).isInstanceOf(UnknownJoinTokenException.class);
  }

  @Test
  void listing_isScopedToWorkspaces() {
    workspaces.save(new Workspace(BLUE, Set.of("*")));
    tokens.create(JoinTokenRequest.of(BLUE, "admin"));
    tokens.create(JoinTokenRequest.of(WorkspaceId.DEFAULT, "admin"));

    assertThat(tokens.list(WorkspaceScope.of(Set.of("blue")))).extracting(JoinTokenView::workspace)
        .containsExactly(BLUE);
    assertThat(tokens.list(WorkspaceScope.of(Set.of()))).isEmpty();
    assertThat(tokens.list(WorkspaceScope.all())).hasSize(2);
  }
}
