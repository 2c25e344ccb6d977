package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.enrollment.JoinTokenRefusedException.Reason;
import io.cortexhub.hub.persistence.JdbcTransactions;
import io.cortexhub.hub.persistence.TextCodec;
import io.cortexhub.hub.workspace.UnknownWorkspaceException;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.hub.workspace.WorkspaceScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link JoinTokens} on JDBC (table {@code cortex_join_token}), and redemption at enrollment.
 *
 * <p>A token is {@code <id>.<secret>}: the id finds the row, the secret (32 random bytes) is
 * compared by SHA-256 in constant time. Only the hash is stored, so a database leak yields no
 * usable token. Redemption decrements {@code uses_left} with a conditional update, so two nodes
 * racing for the last use cannot both win. Thread-safe (stateless apart from the injected parts).
 */
public final class JdbcJoinTokens implements JoinTokens {
  private static final Logger LOG = Logger.getLogger(JdbcJoinTokens.class.getName());
  static final Duration MAX_TTL = Duration.ofDays(30);
  static final int MAX_USES = 100_000;
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,128}");
  private static final Pattern TOKEN = Pattern.compile("(jt-[0-9a-f]{16})\\.([A-Za-z0-9_-]{43})");
  private static final String COLUMNS = "id, secret_sha256, workspace, labels, created_at_ms,"
      + " expires_at_ms, uses_left, revoked, created_by";

  private final DataSource dataSource;
  private final WorkspaceDirectory workspaces;
  private final Clock clock;
  private final Random random;

  /**
   * @param random the source of token ids and secrets; must be a {@link java.security.SecureRandom}
   *     in production
   */
  public JdbcJoinTokens(DataSource dataSource, WorkspaceDirectory workspaces, Clock clock,
      Random random) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.workspaces = Objects.requireNonNull(workspaces, "workspaces");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public IssuedJoinToken create(JoinTokenRequest r) {
    validate(r);
    byte[] idBytes = new byte[8];
    byte[] secretBytes = new byte[32];
    random.nextBytes(idBytes);
    random.nextBytes(secretBytes);
    String id = "jt-" + HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    Instant now = clock.instant();
    Instant expires = now.plus(r.ttl());
    JdbcTransactions.autoCommit(dataSource, "create join token", c -> {
      try (PreparedStatement ps = c.prepareStatement("insert into cortex_join_token (" + COLUMNS
          + ") values (?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, id);
        ps.setString(2, sha256(secret));
        ps.setString(3, r.workspace().value());
        ps.setString(4, TextCodec.encodeMap(r.labels()));
        ps.setLong(5, now.toEpochMilli());
        ps.setLong(6, expires.toEpochMilli());
        ps.setInt(7, r.uses());
        ps.setBoolean(8, false);
        ps.setString(9, r.createdBy());
        return ps.executeUpdate();
      }
    });
    LOG.info(() -> "join token " + id + " created by " + r.createdBy() + " for workspace "
        + r.workspace() + ": " + r.uses() + " use(s), expires " + expires);
    return new IssuedJoinToken(id, id + "." + secret, expires, r.workspace());
  }

  private void validate(JoinTokenRequest r) {
    if (r.ttl().isNegative() || r.ttl().isZero() || r.ttl().compareTo(MAX_TTL) > 0) {
      throw new InvalidJoinTokenRequestException("ttl: must be positive and at most " + MAX_TTL);
    }
    if (r.uses() < 1 || r.uses() > MAX_USES) {
      throw new InvalidJoinTokenRequestException("uses: must be 1.." + MAX_USES);
    }
    if (r.labels().size() > 64) {
      throw new InvalidJoinTokenRequestException("labels: at most 64");
    }
    r.labels().forEach((k, v) -> {
      if (!LABEL_KEY.matcher(k).matches() || v.length() > 256) {
        throw new InvalidJoinTokenRequestException("labels: bad label '" + k + "'");
      }
    });
    if (r.createdBy().length() > 256) {
      throw new InvalidJoinTokenRequestException("createdBy: at most 256 characters");
    }
    if (workspaces.find(r.workspace()).isEmpty()) {
      throw new UnknownWorkspaceException(r.workspace());
    }
  }

  @Override
  public List<JoinTokenView> list(WorkspaceScope scope) {
    List<JoinTokenView> all = JdbcTransactions.autoCommit(dataSource, "list join tokens", c -> {
      try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
          + " from cortex_join_token order by created_at_ms desc, id");
          ResultSet rs = ps.executeQuery()) {
        List<JoinTokenView> out = new ArrayList<>();
        while (rs.next()) {
          out.add(view(rs));
        }
        return out;
      }
    });
    return all.stream().filter(t -> scope.includes(t.workspace())).toList();
  }

  @Override
  public void revoke(String tokenId) {
    int n = JdbcTransactions.autoCommit(dataSource, "revoke join token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "update cortex_join_token set revoked = ? where id = ?")) {
        ps.setBoolean(1, true);
        ps.setString(2, tokenId);
        return ps.executeUpdate();
      }
    });
    if (n == 0) {
      throw new UnknownJoinTokenException(tokenId);
    }
    LOG.info(() -> "join token " + tokenId + " revoked");
  }

  /**
   * Uses up one enrollment of {@code token} in its own transaction.
   *
   * @throws JoinTokenRefusedException when the token is malformed, unknown, wrong, expired, used
   *     up or revoked (logged with the token id and reason)
   */
  public JoinTokenGrant redeem(String token) {
    return JdbcTransactions.inTransaction(dataSource, "redeem join token", c -> redeem(c, token));
  }

  /** {@link #redeem(String)} on the caller's connection, inside the caller's transaction. */
  public JoinTokenGrant redeem(Connection c, String token) throws SQLException {
    var m = TOKEN.matcher(token == null ? "" : token.trim());
    if (!m.matches()) {
      throw refused(Reason.MALFORMED, "(none)", "not a join token");
    }
    String id = m.group(1);
    JoinTokenView row;
    String hash;
    try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
        + " from cortex_join_token where id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw refused(Reason.UNKNOWN, id, "no such token");
        }
        row = view(rs);
        hash = rs.getString("secret_sha256");
      }
    }
    if (!MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
        sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII))) {
      throw refused(Reason.UNKNOWN, id, "wrong secret");
    }
    Instant now = clock.instant();
    if (row.revoked()) {
      throw refused(Reason.REVOKED, id, "revoked");
    }
    if (!now.isBefore(row.expiresAt())) {
      throw refused(Reason.EXPIRED, id, "expired at " + row.expiresAt());
    }
    try (PreparedStatement ps = c.prepareStatement("update cortex_join_token"
        + " set uses_left = uses_left - 1 where id = ? and uses_left > 0")) {
      ps.setString(1, id);
      if (ps.executeUpdate() == 0) {
        throw refused(Reason.USED, id, "already used");
      }
    }
    return new JoinTokenGrant(id, row.workspace(), row.labels());
  }

  private static JoinTokenRefusedException refused(Reason reason, String id, String detail) {
    LOG.warning(() -> "join token " + id + " refused (" + reason + "): " + detail);
    // The message goes to the enrolling machine: the reason helps an operator, the detail stays
    // in the hub's log.
    return new JoinTokenRefusedException(reason, "join token refused: " + switch (reason) {
      case MALFORMED -> "not a join token";
      case UNKNOWN -> "unknown token";
      case EXPIRED -> "expired; ask an admin for a new one";
      case USED -> "already used; ask an admin for a new one";
      case REVOKED -> "revoked";
    });
  }

  private static JoinTokenView view(ResultSet rs) throws SQLException {
    return new JoinTokenView(rs.getString("id"), new WorkspaceId(rs.getString("workspace")),
        TextCodec.decodeMap(rs.getString("labels")),
        Instant.ofEpochMilli(rs.getLong("created_at_ms")),
        Instant.ofEpochMilli(rs.getLong("expires_at_ms")), rs.getInt("uses_left"),
        rs.getBoolean("revoked"), rs.getString("created_by"));
  }

  static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
