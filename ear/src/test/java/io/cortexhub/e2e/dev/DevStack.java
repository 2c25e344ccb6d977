package io.cortexhub.e2e.dev;

import io.cortexhub.e2e.support.Artifacts;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the hub (Payara Micro, embedded H2) and one local node until the JVM is asked to stop, then stops
 * the node and the hub in that order. Data lives in {@code .cortex-dev/} at the repository root, so a
 * second run finds the same nodes, tasks and CA.
 *
 * <p>Ports: HTTP {@code cortex.dev.http-port} (8080), tunnel {@code cortex.dev.tunnel-port} (9443).
 */
public final class DevStack {
  private DevStack() {}

  public static void main(String[] args) throws InterruptedException {
    int httpPort = Integer.getInteger("cortex.dev.http-port", 8080);
    int tunnelPort = Integer.getInteger("cortex.dev.tunnel-port", 9443);
    Path dir = Artifacts.repositoryRoot().resolve(".cortex-dev");
    HubProcess.Settings settings =
        new HubProcess.Settings(
            dir.resolve("hub"), httpPort, tunnelPort, Duration.ofSeconds(5), Duration.ofSeconds(30),
            List.of("-Xmx1g"), Map.of());

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

    System.out.println("Hub ready. Attaching the local node ...");
    String nodeId = stack.attachNode("local-node", Map.of("env", "dev"), 4);
    String rest = stack.hub().restBase().toString();
    System.out.println();
    System.out.println("  Console        " + stack.hub().baseUri());
    System.out.println("  REST API       " + rest);
    System.out.println("  OpenAPI        " + stack.hub().baseUri() + "openapi");
    System.out.println("  Node tunnel    " + stack.hub().tunnelAddress() + " (TLS, CA " + stack.hub().caFingerprint() + ")");
    System.out.println("  Local node     local-node (id " + nodeId + ", labels env=dev)");
    System.out.println("  Logs           " + stack.hub().process().logFile() + ", " + stack.node("local-node").process().logFile());
    System.out.println();
    System.out.println("  Sign in        user " + HubProcess.ADMIN_USER + ", password " + HubProcess.ADMIN_PASSWORD
        + " (console and POST /api/v1/auth/token)");
    System.out.println();
    System.out.println("Get a token (valid 15 minutes) for the REST API:");
    System.out.println(
        "  TOKEN=$(curl -s -X POST " + rest + "auth/token -H 'Content-Type: application/json' \\\n"
            + "       -d '{\"username\":\"" + HubProcess.ADMIN_USER + "\",\"password\":\"" + HubProcess.ADMIN_PASSWORD
            + "\"}' | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
    System.out.println("Run a command on the local node:");
    System.out.println(
        "  curl -s -X POST " + rest + "tasks -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
            + "       -d '{\"kind\":\"shell\",\"node\":\"" + nodeId + "\",\"argv\":[\"uname\",\"-a\"]}'");
    System.out.println("Follow its output (Server-Sent Events):");
    System.out.println("  curl -N -H \"Authorization: Bearer $TOKEN\" " + rest + "tasks/<id>/output");
    System.out.println();
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
  }
}
