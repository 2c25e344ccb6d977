package io.cortexhub.node.verify;

import com.google.protobuf.ByteString;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.task.Admission;
import io.cortexhub.node.task.AdmissionState;
import io.cortexhub.node.task.SessionGrant;
import io.cortexhub.node.task.TaskAdmission;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.cortexhub.proto.node.v1.TraceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What checking a signed task costs the node, per task, on one thread: the Ed25519 verify alone
 * (BouncyCastle, as the agent does it, and the JDK's for comparison), the whole admission (parse,
 * verify, checks, in-memory replay cache), and recording a nonce in the durable replay cache (one
 * fsync). Not a JMH benchmark: warm-up, then timed loops; good to a few percent on a quiet machine.
 *
 * <p>Run: {@code java -cp node-agent/target/classes:node-agent/target/test-classes:<deps>
 * io.cortexhub.node.verify.VerifyCostMain [seconds per measurement]}.
 */
public final class VerifyCostMain {
  private VerifyCostMain() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    TestTaskSigner hub = TestTaskSigner.create();
    TaskSpec spec = shellTask(0);
    TaskAssignment a = hub.assignment(spec);
    System.out.printf("task: %d bytes (shell, 4 args, trace context), signature %d bytes%n", a.getTask().size(), a.getSignature().size());

    TaskVerifier verifier = hub.verifier();
    report("BouncyCastle Ed25519 verify (TaskVerifier)", seconds, () -> verifier.verify(a.getTask(), a.getSignature(), a.getKeyId()));

    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    KeyPair jdkKeys = g.generateKeyPair();
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(jdkKeys.getPrivate());
    byte[] bytes = a.getTask().toByteArray();
    signer.update(bytes);
    byte[] jdkSig = signer.sign();
    report("JDK Ed25519 verify (for comparison)", seconds, () -> {
      try {
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(jdkKeys.getPublic());
        v.update(bytes);
        if (!v.verify(jdkSig)) {
          throw new IllegalStateException("bad");
        }
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });

    int n = 400_000;
    TaskAssignment[] tasks = new TaskAssignment[n];
    for (int i = 0; i < n; i++) {
      tasks[i] = hub.assignment(shellTask(i));
    }
    Clock clock = Clock.systemUTC();
    TaskAdmission admission = new TaskAdmission(Set.of("shell"), verifier, new InMemoryReplayCache(clock), clock);
    AdmissionState state = new OpenState();
    int[] next = {0};
    report("whole admission (parse, verify, checks, in-memory replay cache)", Math.min(seconds, 2), () -> {
      Admission d = admission.decide(tasks[next[0]++ % n], state);
      if (!(d instanceof Admission.Accept) && next[0] <= n) {
        throw new IllegalStateException(d.toString());
      }
    });

    Path tmp = Files.createTempDirectory("replay-cost");
    try (FileReplayCache cache = FileReplayCache.open(tmp.resolve("r.bin"), clock, AgentLog.of(VerifyCostMain.class, LogContext.ofNode("bench")))) {
      long[] i = {0};
      Instant until = Instant.now().plusSeconds(3600);
      report("durable replay cache: record one nonce (append + fsync)", Math.min(seconds, 2), () -> {
        byte[] nonce = new byte[16];
        long v = ++i[0];
        for (int b = 0; b < 8; b++) {
          nonce[b] = (byte) (v >>> (8 * b));
        }
        cache.firstUse(ByteString.copyFrom(nonce), until);
      });
    }
  }

  static TaskSpec shellTask(int i) {
    long now = System.currentTimeMillis();
    byte[] nonce = new byte[16];
    for (int b = 0; b < 4; b++) {
      nonce[b] = (byte) (i >>> (8 * b));
    }
    return TaskSpec.newBuilder()
        .setTaskId("t-" + i + "-0190c2a4-7b3e-7c1a-9f0e-2b5d8c6e1a44")
        .setNodeId("n-01hq3k9z7x5w2v8t6r4p")
        .setWorkspace("default")
        .setRequestedBy("alice@example.com")
        .setIssuedAtUnixMs(now)
        .setNotAfterUnixMs(now + 300_000)
        .setNonce(ByteString.copyFrom(nonce))
        .setCapability("shell")
        .setTrace(TraceContext.newBuilder().setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .setTimeoutMs(60_000)
        .setShell(ShellPayload.newBuilder().addArgv("make").addArgv("-C").addArgv("/srv/build").addArgv("all"))
        .build();
  }

  static void report(String what, double seconds, Runnable op) {
    long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmEnd) {
      op.run();
    }
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long ops = 0;
    long start = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 100; i++) {
        op.run();
      }
      ops += 100;
      now = System.nanoTime();
    } while (now < end);
    // CPU time is what a task costs the node; wall time also counts waiting for a core (and fsync).
    double cpuUs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / ops;
    double wallUs = (now - start) / 1e3 / ops;
    System.out.printf(
        "%-62s cpu %7.1f us/task (%6.0f/s per core)  wall %7.1f us%n", what, cpuUs, 1e6 / cpuUs, wallUs);
  }

  /** A node that takes everything: node id n-01hq3k9z7x5w2v8t6r4p, shell granted, free slots. */
  static final class OpenState implements AdmissionState {
    private final SessionGrant grant = new SessionGrant(Set.of("shell"), Instant.now().plusSeconds(3600));

    @Override
    public Optional<String> nodeId() {
      return Optional.of("n-01hq3k9z7x5w2v8t6r4p");
    }

    @Override
    public boolean draining() {
      return false;
    }

    @Override
    public int freeSlots() {
      return 1;
    }

    @Override
    public boolean knowsTask(String taskId) {
      return false;
    }

    @Override
    public Optional<SessionGrant> sessionGrant() {
      return Optional.of(grant);
    }
  }
}
