package io.cortexhub.hub.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The class named in the hub's {@code @DataSourceDefinition}: routes to PostgreSQL's or H2's own
 * DataSource by the JDBC URL, so one definition serves both databases and the choice is made by
 * {@code CORTEX_DB_URL} alone. The container pools its connections.
 *
 * <p>The URL {@code default} (or empty) means the embedded H2 file {@code <data>/db/cortex} where
 * the data dir is {@code CORTEX_DATA_DIR} or {@code ~/.cortex-hub}. H2 is loaded reflectively: it
 * is bundled with Payara and must not be packaged. Configured once by the container, then
 * thread-safe.
 */
public class CortexDataSource implements DataSource {
  private String url = "default";
  private String user = "";
  private String password = "";
  private volatile DataSource delegate;
  private PrintWriter logWriter;
  private int loginTimeout;

  public void setUrl(String url) {
    this.url = url == null ? "" : url.trim();
  }

  public void setURL(String url) {
    setUrl(url);
  }

  public String getUrl() {
    return url;
  }

  public void setUser(String user) {
    this.user = user == null ? "" : user;
  }

  public void setPassword(String password) {
    this.password = password == null ? "" : password;
  }

  /** The JDBC URL in effect (the H2 default resolved). */
  public String effectiveUrl() {
    if (url.isEmpty() || url.equals("default")) {
      String dir = System.getenv("CORTEX_DATA_DIR");
      if (dir == null || dir.isBlank()) {
        dir = System.getProperty("cortex.data.dir", System.getProperty("user.home") + "/.cortex-hub");
      }
      return "jdbc:h2:file:" + java.nio.file.Path.of(dir, "db", "cortex").toAbsolutePath()
          + ";DB_CLOSE_ON_EXIT=FALSE";
    }
    return url;
  }

  private DataSource delegate() throws SQLException {
    DataSource d = delegate;
    if (d == null) {
      synchronized (this) {
        if (delegate == null) {
          delegate = create(effectiveUrl());
        }
        d = delegate;
      }
    }
    return d;
  }

  private DataSource create(String jdbcUrl) throws SQLException {
    String className = jdbcUrl.startsWith("jdbc:postgresql:") ? "org.postgresql.ds.PGSimpleDataSource"
        : jdbcUrl.startsWith("jdbc:h2:") ? "org.h2.jdbcx.JdbcDataSource" : null;
    if (className == null) {
      throw new SQLException("unsupported database URL (use jdbc:postgresql: or jdbc:h2:): "
          + jdbcUrl);
    }
    try {
      Class<?> type = Class.forName(className, true, CortexDataSource.class.getClassLoader());
      Object ds = type.getConstructor().newInstance();
      type.getMethod("setURL", String.class).invoke(ds, jdbcUrl);
      if (!user.isEmpty()) {
        type.getMethod("setUser", String.class).invoke(ds, user);
      }
      if (!password.isEmpty()) {
        type.getMethod("setPassword", String.class).invoke(ds, password);
      }
      return (DataSource) ds;
    } catch (ReflectiveOperationException e) {
      throw new SQLException("cannot create " + className + " for " + jdbcUrl, e);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return delegate().getConnection();
  }

  @Override
  public Connection getConnection(String username, String pw) throws SQLException {
    return delegate().getConnection(username, pw);
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate().isWrapperFor(iface);
  }
}
