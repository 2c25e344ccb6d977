package io.cortexhub.node.logging;

import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A {@link Logger} bound to a {@link LogContext}, so call sites log a message and the node, task and
 * trace ids follow automatically.
 *
 * <p>Thread-safe (JUL loggers are).
 */
public final class AgentLog {
  private final Logger logger;
  private final LogContext context;

  private AgentLog(Logger logger, LogContext context) {
    this.logger = logger;
    this.context = context;
  }

  public static AgentLog of(Class<?> owner, LogContext context) {
    return new AgentLog(Logger.getLogger(owner.getName()), Objects.requireNonNull(context, "context"));
  }

  public AgentLog forTask(String taskId, String traceparent) {
    return new AgentLog(logger, context.withTask(taskId, traceparent));
  }

  public LogContext context() {
    return context;
  }

  public boolean isDebug() {
    return logger.isLoggable(Level.FINE);
  }

  public void debug(String msg) {
    log(Level.FINE, msg, null);
  }

  public void info(String msg) {
    log(Level.INFO, msg, null);
  }

  public void warn(String msg) {
    log(Level.WARNING, msg, null);
  }

  public void warn(String msg, Throwable error) {
    log(Level.WARNING, msg, error);
  }

  public void error(String msg, Throwable error) {
    log(Level.SEVERE, msg, error);
  }

  private void log(Level level, String msg, Throwable error) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(logger.getName());
    r.setParameters(new Object[] {context});
    r.setThrown(error);
    logger.log(r);
  }
}
