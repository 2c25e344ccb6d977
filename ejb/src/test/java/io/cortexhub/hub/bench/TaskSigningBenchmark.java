package io.cortexhub.hub.bench;

import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskSpecFactory;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.signing.Ed25519TaskSigner;
import io.cortexhub.hub.signing.TaskSignatures;
import io.cortexhub.hub.signing.TaskSigningKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Cost of signing and verifying one task: a realistic {@code TaskSpec} (a shell task with argv,
 * env, trace context) built, serialized and signed by the hub's {@link TaskSpecFactory} with
 * BouncyCastle Ed25519, verified as a node does; the JDK's Ed25519 alongside for comparison. One
 * thread; prints operations per second and CPU microseconds per operation.
 *
 * <p>Run: {@code java -cp <ejb test classpath> io.cortexhub.hub.bench.TaskSigningBenchmark
 * [seconds]}.
 */
public final class TaskSigningBenchmark {
  private static volatile Object sink;

  private TaskSigningBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    SecureRandom random = new SecureRandom();
    Ed25519TaskSigner signer = Ed25519TaskSigner.generate(random);
    TaskSpecFactory factory = new TaskSpecFactory(Clock.systemUTC(), random,
        Duration.ofMinutes(5), signer);
    TaskRecord task = new TaskRecord(TaskId.random(), TaskKind.SHELL, "default",
        TaskState.QUEUED, Optional.empty(), Optional.empty(), Map.of("zone", "a"), "",
        List.of("/usr/bin/env", "bash", "-c", "echo hello from a signed task; uname -a"),
        Map.of("LANG", "C.UTF-8", "TERM", "dumb"), "/tmp", Optional.empty(), Duration.ofMinutes(10),
        Duration.ofSeconds(5), Optional.empty(), "alice@example.org",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Optional.empty(), "", 0,
        Optional.empty(), java.time.Instant.now(), Optional.empty(), Optional.empty(),
        Optional.empty());
    NodeId node = new NodeId("n-abcdefghijklmnopqrst");
    TaskEnvelope sample = factory.envelope(task, node);
    byte[] spec = sample.spec();
    List<TaskSigningKey> keys = signer.keys();
    Ed25519PublicKeyParameters pub = TaskSignatures.publicKey(keys.get(0));
    System.out.printf("TaskSpec: %d bytes; %d s per measurement after a %d s warm-up%n",
        spec.length, seconds, seconds);

    measure("BC Ed25519 sign (bytes only)", seconds,
        () -> sink = signer.sign(task.id(), spec));
    measure("TaskSpecFactory.envelope (build + serialize + sign)", seconds,
        () -> sink = factory.envelope(task, node));
    measure("BC Ed25519 verify", seconds, () -> sink = pub.verify(Ed25519.Algorithm.Ed25519,
        null, spec, 0, spec.length, sample.signature(), 0));

    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    KeyPair jdk = g.generateKeyPair();
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(jdk.getPrivate());
    s.update(spec);
    byte[] jdkSig = s.sign();
    measure("JDK Ed25519 sign (comparison)", seconds, () -> {
      try {
        Signature x = Signature.getInstance("Ed25519");
        x.initSign(jdk.getPrivate());
        x.update(spec);
        sink = x.sign();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
    measure("JDK Ed25519 verify (comparison)", seconds, () -> {
      try {
        Signature x = Signature.getInstance("Ed25519");
        x.initVerify(jdk.getPublic());
        x.update(spec);
        sink = x.verify(jdkSig);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
    System.out.printf("load average at the end: %.1f%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
  }

  /**
   * Prints wall-clock ops/s and the CPU time of this thread per operation: on a shared machine the
   * CPU figure is the one to trust (1e6 / cpu-us = ops/s per core).
   */
  private static void measure(String what, int seconds, Runnable op) {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    loop(op, seconds);
    long start = System.nanoTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long n = loop(op, seconds);
    double s = (System.nanoTime() - start) / 1e9;
    double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
    System.out.printf("%-52s %,9.0f ops/s wall  %7.1f us CPU/op = %,7.0f ops/s per core%n", what,
        n / s, cpuUs, 1e6 / cpuUs);
  }

  private static long loop(Runnable op, int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long n = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        op.run();
      }
      n += 100;
    }
    return n;
  }
}
