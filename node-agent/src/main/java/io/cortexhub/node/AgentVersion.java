package io.cortexhub.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Version of this agent build, read from the filtered {@code agent.properties} resource.
 *
 * <p>Reported in the manifest and by {@code cortex-node version}. Immutable; thread-safe.
 */
public final class AgentVersion {
  private static final String VERSION = load();

  private AgentVersion() {}

  /** The Maven project version this agent was built from, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("agent.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read agent.properties", e);
    }
  }
}
