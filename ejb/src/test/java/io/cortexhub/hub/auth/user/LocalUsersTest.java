package io.cortexhub.hub.auth.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.auth.BadCredentialsException;
import io.cortexhub.hub.auth.InvalidUserException;
import io.cortexhub.hub.auth.IssuedToken;
import io.cortexhub.hub.auth.LoginThrottledException;
import io.cortexhub.hub.auth.NewUser;
import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.TokenIssuingDisabledException;
import io.cortexhub.hub.auth.UnknownUserException;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.UserExistsException;
import io.cortexhub.hub.auth.token.TokenTimes;
import io.cortexhub.hub.auth.token.UserTokenIssuer;
import io.cortexhub.hub.auth.token.UserTokenKey;
import io.cortexhub.hub.auth.token.UserTokenVerifier;
import io.cortexhub.hub.testing.FakeClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalUsersTest {

  private static final UserTokenKey KEY = UserTokenKey.generate();

  private final FakeClock clock = new FakeClock();
  private final InMemoryUserStore store = new InMemoryUserStore();
  private final LocalUsers users = users(Optional.of(
      new UserTokenIssuer(KEY, "cortex-hub", "cortex-api", Duration.ofMinutes(15), clock)));

  private LocalUsers users(Optional<UserTokenIssuer> issuer) {
    return new LocalUsers(store, new PasswordHasher(1_000, new SecureRandom()),
        new LoginThrottle(3, Duration.ofSeconds(30), Duration.ofMinutes(15), clock), issuer,
        clock);
  }

  @Test
  void firstBoot_withoutAPassword_createsTheAdminWithAGeneratedOne() {
    Optional<String> generated = users.bootstrapAdmin(Optional.empty(), new SecureRandom());

    assertThat(generated).hasValueSatisfying(p -> assertThat(p).hasSizeGreaterThanOrEqualTo(24));
    User admin = users.authenticate("admin", generated.get(), "127.0.0.1");
    assertThat(admin.roles()).containsExactly(Role.ADMIN);
    assertThat(admin.workspaces()).containsExactly("*");
    assertThat(admin.createdBy()).isEqualTo("bootstrap");
  }

  @Test
  void firstBoot_withAConfiguredPassword_usesIt_andLaterBootsChangeNothing() {
    assertThat(users.bootstrapAdmin(Optional.of("configured-secret"), new SecureRandom()))
        .isEmpty();
    assertThat(users.bootstrapAdmin(Optional.of("another-password"), new SecureRandom()))
        .isEmpty();

    assertThat(users.authenticate("admin", "configured-secret", "h").username())
        .isEqualTo("admin");
    assertThatThrownBy(() -> users.authenticate("admin", "another-password", "h"))
        .isInstanceOf(BadCredentialsException.class);
  }

  @Test
  void wrongPassword_andUnknownUser_areRefusedAlike() {
    users.create(new NewUser("alice", "alice-password-1", Set.of(Role.VIEWER),
        Set.of("default")), "admin");

    assertThatThrownBy(() -> users.authenticate("alice", "nope-nope-nope", "h"))
        .isInstanceOf(BadCredentialsException.class)
        .hasMessage("wrong user name or password");
    assertThatThrownBy(() -> users.authenticate("mallory", "nope-nope-nope", "h"))
        .isInstanceOf(BadCredentialsException.class)
        .hasMessage("wrong user name or password");
  }

  @Test
  void repeatedFailures_areThrottled_evenWithTheRightPassword() {
    users.create(new NewUser("alice", "alice-password-1", Set.of(Role.VIEWER),
        Set.of("default")), "admin");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> users.authenticate("alice", "guess-guess-guess", "10.0.0.9"))
          .isInstanceOf(BadCredentialsException.class);
    }

    assertThatThrownBy(() -> users.authenticate("alice", "alice-password-1", "10.0.0.7"))
        .isInstanceOf(LoginThrottledException.class);
    clock.advance(Duration.ofSeconds(30));
    assertThat(users.authenticate("alice", "alice-password-1", "10.0.0.7").username())
        .isEqualTo("alice");
  }

  @Test
  void issueToken_signsATokenForTheAuthenticatedUser() {
    users.create(new NewUser("ops", "operator-password", Set.of(Role.OPERATOR),
        Set.of("team-a")), "admin");

    IssuedToken token = users.issueToken("ops", "operator-password", "h");

    var verified = new UserTokenVerifier(Optional.of(KEY.publicKey()), "cortex-hub",
        "cortex-api", new TokenTimes(Duration.ZERO, clock)).verify(token.token());
    assertThat(verified.subject()).isEqualTo("ops");
    assertThat(verified.groups()).containsExactly("operator");
    assertThat(verified.workspaces()).containsExactly("team-a");
  }

  @Test
  void issueToken_inExternalMode_isRefused() {
    LocalUsers external = users(Optional.empty());
    external.bootstrapAdmin(Optional.of("configured-secret"), new SecureRandom());

    assertThatThrownBy(() -> external.issueToken("admin", "configured-secret", "h"))
        .isInstanceOf(TokenIssuingDisabledException.class)
        .hasMessageContaining("external");
  }

  @Test
  void create_validatesEveryField() {
    assertInvalid(new NewUser("bad name", "long-enough-pw", Set.of(Role.VIEWER), Set.of("*")),
        "username");
    assertInvalid(new NewUser("bob", "short", Set.of(Role.VIEWER), Set.of("*")), "password");
    assertInvalid(new NewUser("bob", "long-enough-pw", Set.of(), Set.of("*")), "roles");
    assertInvalid(new NewUser("bob", "long-enough-pw", Set.of(Role.VIEWER), Set.of()),
        "workspaces");
    assertInvalid(new NewUser("bob", "long-enough-pw", Set.of(Role.VIEWER), Set.of("Team A")),
        "workspaces");
  }

  @Test
  void create_aTakenName_isRefused() {
    NewUser bob = new NewUser("bob", "long-enough-pw", Set.of(Role.VIEWER), Set.of("*"));
    users.create(bob, "admin");

    assertThatThrownBy(() -> users.create(bob, "admin")).isInstanceOf(UserExistsException.class);
  }

  @Test
  void delete_removesTheUser_butNeverTheLastAdmin() {
    users.bootstrapAdmin(Optional.of("configured-secret"), new SecureRandom());
    users.create(new NewUser("bob", "long-enough-pw", Set.of(Role.VIEWER), Set.of("*")), "admin");

    users.delete("bob", "admin");

    assertThat(users.find("bob")).isEmpty();
    assertThatThrownBy(() -> users.delete("bob", "admin"))
        .isInstanceOf(UnknownUserException.class);
    assertThatThrownBy(() -> users.delete("admin", "admin"))
        .isInstanceOf(InvalidUserException.class).hasMessageContaining("last admin");
  }

  @Test
  void passwordsNeverAppearInToString() {
    NewUser u = new NewUser("bob", "long-enough-pw", Set.of(Role.VIEWER), Set.of("*"));

    assertThat(u.toString()).doesNotContain("long-enough-pw");
  }

  private void assertInvalid(NewUser user, String field) {
    assertThatThrownBy(() -> users.create(user, "admin"))
        .isInstanceOf(InvalidUserException.class).hasMessageStartingWith(field);
  }
}
