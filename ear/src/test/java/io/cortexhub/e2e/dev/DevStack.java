package io.cortexhub.e2e.dev;

import io.cortexhub.e2e.support.Artifacts;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Scratch;
import io.cortexhub.e2e.support.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the hub (Payara Micro, embedded H2) and one local node until the JVM is asked to stop, then stops
 * the node and the hub in that order. Data lives in {@code .cortex-dev/} at the repository root, so a
 * second run finds the same users, nodes, tasks and CA:
 *
 * <ul>
 *   <li>{@code admin-password} (0600): the first admin's password, generated on the first run;
 *   <li>{@code hub/}: the hub's data directory (H2 database, PKI, user-token key);
 *   <li>{@code node-local-node/}: the local node's enrolled identity, policy, task directories and log;
 *   <li>{@code workspace/}: the directory tree the local node's policy lets tasks use.
 * </ul>
 *
 * <p>The local node enrolls once, with a join token the launcher creates as the admin, pinning the hub's CA
 * fingerprint; later runs reuse its identity. Ports: HTTP {@code cortex.dev.http-port} (8080), tunnel
 * {@code cortex.dev.tunnel-port} (9443).
 */
public final class DevStack {
  private static final String NODE = "local-node";

  private DevStack() {}

  public static void main(String[] args) throws InterruptedException {
    int httpPort = Integer.getInteger("cortex.dev.http-port", 8080);
    int tunnelPort = Integer.getInteger("cortex.dev.tunnel-port", 9443);
    Path dir = Artifacts.repositoryRoot().resolve(".cortex-dev");
    String password = adminPassword(dir);
    forgetNodeOfAnotherHub(dir);
    HubProcess.Settings settings =
        new HubProcess.Settings(
                dir.resolve("hub"), httpPort, tunnelPort, Duration.ofSeconds(5), Duration.ofSeconds(30),
                List.of("-Xmx1g"), Map.of())
            .withEnv("CORTEX_AUTH_ADMIN_PASSWORD", password);

    System.out.println("Starting the Cortex hub on Payara Micro (embedded H2 in " + dir.resolve("hub") + ") ...");
    Stack stack = Stack.start(dir, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping the local node and the hub ...");
                  stack.close();
                  System.out.println("Stopped.");
                  stopped.countDown();
                },
                "cortex-dev-shutdown"));

    boolean enrolled = NodeProcess.enrolledIn(dir.resolve("node-" + NODE));
    System.out.println(enrolled
        ? "Hub ready. Starting the local node (enrolled by an earlier run) ..."
        : "Hub ready. Enrolling the local node with a one-time join token (CA " + stack.hub().caFingerprint() + ") ...");
    String nodeId = stack.attachNode(NODE, DevPolicy.nodeOptions(dir), "default");
    printWelcome(stack, nodeId, password);
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
  }

  private static void printWelcome(Stack stack, String nodeId, String password) {
    String rest = stack.hub().restBase().toString();
    NodeProcess node = stack.node(NODE);
    System.out.println();
    System.out.println("  Console        " + stack.hub().baseUri());
    System.out.println("  REST API       " + rest);
    System.out.println("  OpenAPI        " + stack.hub().baseUri() + "openapi");
    System.out.println("  Node tunnel    " + stack.hub().tunnelAddress() + " (mutual TLS, CA " + stack.hub().caFingerprint() + ")");
    System.out.println("  Local node     " + NODE + " (id " + nodeId + ", labels env=dev, state " + node.stateDir() + ")");
    System.out.println("  Logs           " + stack.hub().process().logFile() + ", " + node.process().logFile());
    System.out.println();
    System.out.println("  Sign in        user " + HubProcess.ADMIN_USER + ", password " + password
        + " (console and POST /api/v1/auth/token; kept in .cortex-dev/admin-password)");
    System.out.println();
    System.out.println("Get a token (valid 15 minutes) for the REST API:");
    System.out.println(
        "  TOKEN=$(curl -s -X POST " + rest + "auth/token -H 'Content-Type: application/json' \\\n"
            + "       -d '{\"username\":\"" + HubProcess.ADMIN_USER + "\",\"password\":\"" + password
            + "\"}' | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
    System.out.println("Run a command on the local node (" + DevPolicy.describe() + "):");
    System.out.println(
        "  curl -s -X POST " + rest + "tasks -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
            + "       -d '{\"kind\":\"shell\",\"node\":\"" + nodeId + "\",\"argv\":[\"uname\",\"-a\"]}'");
    System.out.println("Follow its output (Server-Sent Events):");
    System.out.println("  curl -N -H \"Authorization: Bearer $TOKEN\" " + rest + "tasks/<id>/output");
    System.out.println("Enroll another node (a one-time join token, then cortex-node enroll on that machine):");
    System.out.println(
        "  curl -s -X POST " + rest + "join-tokens -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
            + "       -d '{\"workspace\":\"default\",\"ttlSeconds\":900,\"uses\":1}'");
    System.out.println(
        "  java -jar node-agent/target/cortex-node.jar run --hub " + stack.hub().tunnelAddress()
            + " --join-token <token> --ca-fingerprint " + stack.hub().caFingerprint() + " --state-dir <dir>");
    System.out.println();
  }

  /**
   * The first admin's password: read from {@code admin-password}, or generated (and stored 0600) on the
   * first run. A data directory made before the launcher generated passwords keeps the harness's fixed one,
   * because the hub applies the configured password only when it has no user yet.
   */
  static String adminPassword(Path dir) {
    Path file = dir.resolve("admin-password");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
      }
      String password;
      if (Files.isDirectory(dir.resolve("hub"))) {
        password = HubProcess.ADMIN_PASSWORD;
      } else {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "admin-password", ".tmp");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(tmp, password + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file);
      return password;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /**
   * A node identity is only good with the hub that issued it: when the hub's data was deleted but the
   * node's was not, the node's state is removed too so that it enrolls again.
   */
  private static void forgetNodeOfAnotherHub(Path dir) {
    Path state = dir.resolve("node-" + NODE).resolve("state");
    if (Files.isDirectory(state) && !Files.isDirectory(dir.resolve("hub"))) {
      System.out.println("The hub's data is gone: the local node will enroll again (removing " + state + ").");
      Scratch.deleteTree(state);
    }
  }
}
