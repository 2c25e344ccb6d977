package io.cortexhub.hub.persistence;

/** A database operation failed; wraps the {@link java.sql.SQLException} with what was attempted. */
public class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether {@code e} (or a cause) is a unique-constraint violation (SQLState 23505). */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
