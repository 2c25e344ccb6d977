package io.cortexhub.e2e.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A throw-away domain of a full Payara Server, driven with {@code asadmin}: created on free ports
 * under the build directory, started, given deployments, and always stopped by {@link #close()} (a
 * JVM shutdown hook stops it too if the test JVM is killed first).
 *
 * <p>Not thread-safe; one test class owns one domain.
 */
public final class PayaraServerDomain implements AutoCloseable {

  /** Offsets from --portbase that Payara Server binds (admin 48, HTTP 80, HTTPS 81, IIOP, JMS, JMX). */
  private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 66, 76, 80, 81, 86};

  private final Path home;
  private final Path domainDir;
  private final String name;
  private final int portBase;
  private final Map<String, String> environment;
  private final Path log;
  private final Thread stopOnExit = new Thread(this::stopQuietly, "payara-domain-stop");
  private boolean started;

  private PayaraServerDomain(Path home, Path domainDir, String name, int portBase,
      Map<String, String> environment) {
    this.home = home;
    this.domainDir = domainDir;
    this.name = name;
    this.portBase = portBase;
    this.environment = Map.copyOf(environment);
    this.log = domainDir.resolve(name + "-asadmin.log");
  }

  /**
   * Creates a domain named {@code name} in {@code domainDir} on a free port base.
   *
   * @param environment extra environment for the server process (inherited through asadmin)
   */
  public static PayaraServerDomain create(Path home, Path domainDir, String name,
      Map<String, String> environment) throws IOException, InterruptedException {
    Files.createDirectories(domainDir);
    PayaraServerDomain domain =
        new PayaraServerDomain(home, domainDir, name, freePortBase(new Random()), environment);
    domain.asadmin(Duration.ofMinutes(3), "create-domain", "--nopassword=true",
        "--portbase", Integer.toString(domain.portBase), "--domaindir", domainDir.toString(),
        name);
    return domain;
  }

  public void start() throws IOException, InterruptedException {
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    started = true;
    asadmin(Duration.ofMinutes(4), "start-domain", "--domaindir", domainDir.toString(), name);
  }

  public void deploy(Path archive) throws IOException, InterruptedException {
    asadmin(Duration.ofMinutes(5), "--port", Integer.toString(adminPort()), "deploy",
        archive.toAbsolutePath().toString());
  }

  /** Root of the HTTP listener, e.g. {@code http://localhost:28080/}. */
  public URI httpBase() {
    return URI.create("http://localhost:" + (portBase + 80) + "/");
  }

  public int adminPort() {
    return portBase + 48;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (started) {
      started = false;
      try {
        asadmin(Duration.ofMinutes(2), "stop-domain", "--kill=false", "--domaindir",
            domainDir.toString(), name);
      } finally {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      }
    }
  }

  private void stopQuietly() {
    try {
      if (started) {
        asadmin(Duration.ofMinutes(1), "stop-domain", "--kill=true", "--domaindir",
            domainDir.toString(), name);
      }
    } catch (IOException | InterruptedException | AssertionError e) {
      // Last resort during JVM exit: nothing left to report to.
    }
  }

  private void asadmin(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/asadmin").toString());
    command.add("--interactive=false");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Files.writeString(log, "\n$ " + String.join(" ", command) + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("asadmin " + args[0] + " did not finish in " + timeout
          + "; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("asadmin " + String.join(" ", args) + " failed with exit code "
          + process.exitValue() + "; see " + log + ":\n" + tail());
    }
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** A port base in 20000-59900 whose Payara ports are all free right now. */
  private static int freePortBase(Random random) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + random.nextInt(400) * 100;
      if (IntStream.of(PORT_OFFSETS).allMatch(offset -> free(base + offset))) {
        return base;
      }
    }
    throw new AssertionError("no free Payara port base found");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
