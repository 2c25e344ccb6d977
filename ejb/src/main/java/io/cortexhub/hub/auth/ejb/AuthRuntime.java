package io.cortexhub.hub.auth.ejb;

import io.cortexhub.hub.auth.AuthSettings;
import io.cortexhub.hub.auth.BearerTokens;
import io.cortexhub.hub.auth.TokenRefusedException;
import io.cortexhub.hub.auth.token.TokenTimes;
import io.cortexhub.hub.auth.token.UserTokenIssuer;
import io.cortexhub.hub.auth.token.UserTokenKey;
import io.cortexhub.hub.auth.token.UserTokenVerifier;
import io.cortexhub.hub.auth.user.JdbcUserStore;
import io.cortexhub.hub.auth.user.LocalUsers;
import io.cortexhub.hub.auth.user.LoginThrottle;
import io.cortexhub.hub.auth.user.PasswordHasher;
import io.cortexhub.hub.persistence.DatabaseMigrator;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds the auth logic at deployment from {@code cortex.auth.*} and the hub's datasource, once
 * the schema is migrated: the user token key (local mode), the issuer, the verifier and the local
 * users; then creates the first admin if there is no user. A bad setting fails the deployment with
 * the key in the message. Bean-managed concurrency: everything it holds is immutable or
 * thread-safe.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AuthRuntime {

  private static final Logger LOG = Logger.getLogger(AuthRuntime.class.getName());

  @Resource(lookup = DatabaseMigrator.DATASOURCE)
  private DataSource dataSource;

  private AuthSettings settings;
  private LocalUsers users;
  private BearerTokens tokens;

  @PostConstruct
  void start() {
    settings = AuthSettings.read(ConfigProvider.getConfig(AuthRuntime.class.getClassLoader()));
    Clock clock = Clock.systemUTC();
    SecureRandom random = new SecureRandom();
    Optional<UserTokenKey> key = settings.mode() == AuthSettings.Mode.LOCAL
        ? Optional.of(UserTokenKey.loadOrCreate(settings.keyDir())) : Optional.empty();
    Optional<UserTokenIssuer> issuer = key.map(k -> new UserTokenIssuer(
        k, settings.issuer(), settings.audience(), settings.tokenLifetime(), clock));
    users = new LocalUsers(new JdbcUserStore(dataSource),
        new PasswordHasher(settings.passwordIterations(), random),
        new LoginThrottle(settings.maxFailures(), settings.lockout(), AuthSettings.MAX_LOCKOUT,
            clock),
        issuer, clock);
    users.bootstrapAdmin(settings.adminPassword(), random);
    tokens = bearerTokens(settings, key, clock);
    LOG.info(() -> "REST API authentication: " + (settings.mode() == AuthSettings.Mode.LOCAL
        ? "hub-issued RS256 tokens (key " + key.get().keyId() + ", issuer " + settings.issuer()
            + ", lifetime " + settings.tokenLifetime() + ")"
        : "tokens of the external issuer " + settings.acceptedIssuer() + " (key from "
            + settings.externalPublicKeyLocation().orElseThrow() + ")"));
  }

  /** The plain-Java {@link BearerTokens} for these settings; visible for tests. */
  public static BearerTokens bearerTokens(
      AuthSettings settings, Optional<UserTokenKey> key, Clock clock) {
    TokenTimes times = new TokenTimes(settings.clockSkew(), clock);
    UserTokenVerifier verifier = new UserTokenVerifier(key.map(k -> (PublicKey) k.publicKey()),
        settings.acceptedIssuer(), settings.audience(), times);
    return new BearerTokens() {
      @Override
      public void checkTimes(OptionalLong exp, OptionalLong nbf, OptionalLong iat) {
        times.check(exp, nbf, iat);
      }

      @Override
      public Optional<TokenRefusedException> explainRefusal(String token) {
        return verifier.explainRefusal(token);
      }

      @Override
      public Optional<String> publicJwks() {
        return key.map(UserTokenKey::publicJwks);
      }
    };
  }

  public LocalUsers users() {
    return users;
  }

  public BearerTokens tokens() {
    return tokens;
  }

  public AuthSettings settings() {
    return settings;
  }
}
