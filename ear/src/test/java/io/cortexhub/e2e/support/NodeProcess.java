package io.cortexhub.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real {@code cortex-node run} process attached to a hub, as an operator would start it: enrolled with a
 * join token an admin made ({@code run --join-token T --ca-fingerprint F --state-dir D} enrolls first when
 * {@code D} holds no credentials), then connected over mutual TLS as that identity. Its directory holds
 * {@code state/} (the identity), {@code work/} (task directories), {@code policy.yaml} when one is given
 * and {@code node.log}. Restarting reuses the state directory, so the node comes back as itself.
 */
public final class NodeProcess implements AutoCloseable {

  /**
   * How to run a node.
   *
   * @param policyYaml the node's policy file ({@code run --policy}); empty runs with the agent's defaults
   * @param extraArgs more {@code run} options, appended last
   */
  public record Options(Map<String, String> labels, int maxTasks, Optional<String> policyYaml, List<String> extraArgs) {
    public Options {
      labels = Map.copyOf(labels);
      Objects.requireNonNull(policyYaml, "policyYaml");
      extraArgs = List.copyOf(extraArgs);
    }

    /** No labels, two slots, the agent's default policy. */
    public static Options defaults() {
      return new Options(Map.of(), 2, Optional.empty(), List.of());
    }

    public Options withLabels(Map<String, String> value) {
      return new Options(value, maxTasks, policyYaml, extraArgs);
    }

    public Options withMaxTasks(int value) {
      return new Options(labels, value, policyYaml, extraArgs);
    }

    public Options withPolicy(TestPolicy policy) {
      return withPolicy(policy.render());
    }

    public Options withPolicy(String yaml) {
      return new Options(labels, maxTasks, Optional.of(yaml), extraArgs);
    }

    public Options withArgs(String... args) {
      List<String> all = new ArrayList<>(extraArgs);
      all.addAll(List.of(args));
      return new Options(labels, maxTasks, policyYaml, all);
    }
  }

  private final String name;
  private final Path dir;
  private final List<String> command;
  private ManagedProcess process;
  private int starts;

  private NodeProcess(String name, Path dir, List<String> command) {
    this.name = name;
    this.dir = dir;
    this.command = List.copyOf(command);
  }

  /**
   * Starts a node that enrolls with {@code joinToken}, pinning the hub's current CA fingerprint, and works
   * under {@code dir}; without a token the node must be enrolled already (credentials in {@code dir/state}).
   */
  public static NodeProcess start(HubProcess hub, Optional<String> joinToken, String name, Options options, Path dir) {
    Path stateDir = dir.resolve("state");
    List<String> command = new ArrayList<>();
    command.add(HubProcess.javaBinary());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(Artifacts.nodeJar().toString());
    command.add("run");
    command.addAll(List.of("--hub", hub.tunnelAddress(), "--name", name));
    joinToken.ifPresent(token -> command.addAll(List.of("--join-token", token, "--ca-fingerprint", hub.caFingerprint())));
    command.addAll(List.of("--state-dir", stateDir.toString()));
    command.addAll(List.of("--consent-socket", consentSocket(dir).toString()));
    command.addAll(List.of("--max-tasks", Integer.toString(options.maxTasks())));
    command.addAll(List.of("--work-dir", dir.resolve("work").toString()));
    if (!options.labels().isEmpty()) {
      command.add("--labels");
      command.add(
          options.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    }
    options.policyYaml().ifPresent(yaml -> command.addAll(List.of("--policy", writePolicy(dir, yaml).toString())));
    command.addAll(options.extraArgs());
    NodeProcess node = new NodeProcess(name, dir, command);
    node.launch();
    return node;
  }

  /** The agent refuses a policy file others may write: owner-only, in a directory only the owner writes. */
  private static Path writePolicy(Path dir, String yaml) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("policy.yaml");
      Files.writeString(file, yaml);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    starts++;
    String log = starts == 1 ? "node.log" : "node-" + starts + ".log";
    process = ManagedProcess.start("node " + name, command, Map.of(), dir, dir.resolve(log));
  }

  /** Stops the agent (SIGTERM) and starts it again with the same identity, options and directories. */
  public void restart() {
    close();
    launch();
  }

  public String name() {
    return name;
  }

  public ManagedProcess process() {
    return process;
  }

  /**
   * The node's consent socket: under {@code /tmp}, not in the (deep) test directory, because a Unix socket path
   * is limited to 107 bytes and a CI checkout may sit anywhere. One private directory per node directory.
   */
  public Path consentSocket() {
    return consentSocket(dir);
  }

  private static Path consentSocket(Path dir) {
    String id = Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode());
    return Path.of("/tmp", "cortex-it-" + id, "consent.sock");
  }

  /** The node's state directory (its enrolled identity). */
  public Path stateDir() {
    return dir.resolve("state");
  }

  public Path dir() {
    return dir;
  }

  /** Whether {@code dir} holds an enrolled identity (a node started there needs no join token). */
  public static boolean enrolledIn(Path dir) {
    return Files.exists(dir.resolve("state").resolve("credentials.pem"));
  }

  /** The node certificate the agent holds now (leaf first, then its CA), from its state directory. */
  public List<java.security.cert.X509Certificate> certificateChain() {
    return Pki.readCertificates(stateDir().resolve("credentials.pem"));
  }

  /** SIGKILL, as when the machine's OOM killer or a power cut takes the agent. */
  public void kill() {
    process.kill();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }
}
