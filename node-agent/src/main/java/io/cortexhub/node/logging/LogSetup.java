package io.cortexhub.node.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Points the JVM's root logger at one JSON-lines handler (stderr, or an appended file).
 *
 * <p>Called once by the CLI at start-up; not meant for concurrent use.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void configure(Level level, Optional<Path> file) {
    LogManager manager = LogManager.getLogManager();
    if (manager instanceof AgentLogManager agent) {
      agent.resetForSetup();
    } else {
      manager.reset();
    }
    Logger root = Logger.getLogger("");
    OutputStream out;
    if (file.isPresent()) {
      try {
        Path parent = file.get().toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        out =
            Files.newOutputStream(
                file.get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open log file " + file.get(), e);
      }
    } else {
      out = System.err;
    }
    Handler h = new FlushingHandler(out);
    h.setLevel(level);
    root.addHandler(h);
    root.setLevel(level);
    // gRPC and Netty are chatty below INFO; their warnings still come through.
    Logger.getLogger("io.grpc").setLevel(Level.INFO.intValue() < level.intValue() ? level : Level.INFO);
  }

  /** A stream handler that flushes every record, so a crash never eats the last lines. */
  private static final class FlushingHandler extends StreamHandler {
    FlushingHandler(OutputStream out) {
      super(out, new JsonLineFormatter());
    }

    @Override
    public synchronized void publish(java.util.logging.LogRecord record) {
      super.publish(record);
      flush();
    }

    @Override
    public synchronized void close() {
      flush(); // never close System.err
    }
  }
}
