package io.cortexhub.hub.auth.user;

import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.persistence.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@link UserStore} on the {@code cortex_user} table (Flyway V3), plain JDBC with auto-commit:
 * each call is one statement. Thread-safe (connections come from the pool per call).
 */
public final class JdbcUserStore implements UserStore {

  private static final String COLUMNS =
      "username, password_hash, roles, workspaces, created_at_ms, created_by";

  private final DataSource dataSource;

  public JdbcUserStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Optional<StoredUser> find(String username) {
    String sql = "select " + COLUMNS + " from cortex_user where username = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, username);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(row(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot read user " + username, e);
    }
  }

  @Override
  public List<User> list() {
    String sql = "select " + COLUMNS + " from cortex_user order by username";
    List<User> users = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        users.add(row(r).user());
      }
      return users;
    } catch (SQLException e) {
      throw new DatabaseException("cannot list users", e);
    }
  }

  @Override
  public boolean insert(StoredUser stored) {
    User u = stored.user();
    String sql = "insert into cortex_user (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, u.username());
      s.setString(2, stored.passwordHash());
      s.setString(3, u.roles().stream().map(Role::id).sorted().collect(Collectors.joining(",")));
      s.setString(4, String.join(",", new TreeSet<>(u.workspaces())));
      s.setLong(5, u.createdAt().toEpochMilli());
      s.setString(6, u.createdBy());
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (DatabaseException.isUniqueViolation(e)) {
        return false;
      }
      throw new DatabaseException("cannot insert user " + u.username(), e);
    }
  }

  @Override
  public boolean delete(String username) {
    String sql = "delete from cortex_user where username = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, username);
      return s.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new DatabaseException("cannot delete user " + username, e);
    }
  }

  @Override
  public boolean isEmpty() {
    String sql = "select count(*) from cortex_user";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1) == 0;
    } catch (SQLException e) {
      throw new DatabaseException("cannot count users", e);
    }
  }

  private static StoredUser row(ResultSet r) throws SQLException {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String id : split(r.getString("roles"))) {
      // A role this version does not know is dropped rather than failing every read.
      Role.of(id).ifPresent(roles::add);
    }
    User user = new User(r.getString("username"), roles, Set.copyOf(split(r.getString(
        "workspaces"))), Instant.ofEpochMilli(r.getLong("created_at_ms")),
        r.getString("created_by"));
    return new StoredUser(user, r.getString("password_hash"));
  }

  private static List<String> split(String csv) {
    return csv == null || csv.isEmpty() ? List.of()
        : Arrays.stream(csv.split(",")).filter(s -> !s.isEmpty()).toList();
  }
}
