package io.cortexhub.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build left the things the harness starts. Maven passes the paths as system properties
 * (see ear/pom.xml); the defaults are the same paths relative to the repository root so that a test or
 * the dev launcher also runs from an IDE.
 */
public final class Artifacts {
  private Artifacts() {}

  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("proto")) && Files.isDirectory(dir.resolve("node-agent"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("not inside the cortex-hub repository: " + Path.of("").toAbsolutePath());
  }

  /** The Payara Micro runtime jar. */
  public static Path payaraMicroJar() {
    return existing("cortex.e2e.payaraMicroJar", "ear/target/payara-micro.jar");
  }

  /** The all-in-one hub WAR for Payara Micro. */
  public static Path hubWar() {
    return existing("cortex.e2e.hubWar", "ear/target/cortex-hub.war");
  }

  /** The node agent's runnable jar. */
  public static Path nodeJar() {
    return existing("cortex.e2e.nodeJar", "node-agent/target/cortex-node.jar");
  }

  /** Payara Micro settings shared by the run command and the tests. */
  public static Path payaraConfigDir() {
    return existing("cortex.e2e.payaraConfig", "payara-config");
  }

  /** Scratch space for logs and data dirs of processes started by tests. */
  public static Path scratchDir() {
    String configured = System.getProperty("cortex.e2e.scratch");
    return configured != null ? Path.of(configured) : repositoryRoot().resolve("ear/target/e2e");
  }

  private static Path existing(String property, String defaultRelative) {
    String configured = System.getProperty(property);
    Path path = configured != null ? Path.of(configured) : repositoryRoot().resolve(defaultRelative);
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " does not exist: build first (./mvnw install -DskipTests), or set -D" + property);
    }
    return path.toAbsolutePath();
  }
}
