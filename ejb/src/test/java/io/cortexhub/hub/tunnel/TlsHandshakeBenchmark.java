package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.enrollment.JoinTokenRequest;
import io.cortexhub.hub.runtime.HubCore;
import io.cortexhub.hub.runtime.HubSecurity;
import io.cortexhub.hub.runtime.SecureTunnel;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.InMemoryNodeStore;
import io.cortexhub.hub.testing.TestDatabase;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many node reconnects per second the real, secured tunnel sustains: each one a new TCP
 * connection, a full TLS 1.3 handshake with a client certificate (a fresh client TLS context every
 * time, so nothing is resumed), the interceptor's certificate checks, Hello, Welcome and a session
 * token. Client and hub share the machine's cores, so besides the rate it reports the CPU time the
 * hub's own threads spent per reconnect, which gives the hub's capacity per core.
 *
 * <p>Run: {@code ./mvnw -o -q -pl ejb -am test-compile} and then {@code java -cp
 * ejb/target/test-classes:ejb/target/classes:<test classpath>
 * io.cortexhub.hub.tunnel.TlsHandshakeBenchmark [seconds] [clientThreads] [warmupSeconds]}.
 */
public final class TlsHandshakeBenchmark {
  private TlsHandshakeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    FakeClock clock = new FakeClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    HubSettings settings = HubSettings.defaults(HubHarness.tempDataDir());
    TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2);
    GrpcNodeConnectionFactory connections = new GrpcNodeConnectionFactory();
    HubSecurity security = HubSecurity.loadOrCreate(settings, clock, new SecureRandom());
    HubCore core = new HubCore(settings, clock, new Random(), db.dataSource(),
        new InMemoryNodeStore(), connections, security, Runnable::run);
    core.load();
    core.start(Executors.defaultThreadFactory(), clock.scheduler());
    SecureTunnel tunnel = new SecureTunnel(core, connections, settings, clock);
    AtomicInteger n = new AtomicInteger();
    ExecutorService callbacks = Executors.newFixedThreadPool(8,
        r -> new Thread(r, "hub-cb-" + n.incrementAndGet()));
    int port = tunnel.start(callbacks);

    List<X509Certificate> trust = security.pki().snapshot().nodeTrustBundle();
    String token = core.joinTokens().create(new JoinTokenRequest(WorkspaceId.DEFAULT,
        java.util.Map.of(), Duration.ofHours(1), clients, "bench")).token();
    List<TestCredentials> nodes = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      nodes.add(TestCredentials.enroll(port, trust, token, "bench-" + i));
    }
    NioEventLoopGroup clientLoop = new NioEventLoopGroup(2,
        (java.util.concurrent.ThreadFactory) r -> new Thread(r, "bench-client-elg"));
    ExecutorService drivers = Executors.newFixedThreadPool(clients,
        r -> new Thread(r, "bench-driver"));

    System.out.printf("warming up (%d s), then %d s with %d concurrent reconnecting nodes%n",
        warmup, seconds, clients);
    run(drivers, nodes, port, clientLoop, Duration.ofSeconds(warmup));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long hubCpuBefore = hubCpu(threads);
    long wallStart = System.nanoTime();
    long done = run(drivers, nodes, port, clientLoop, Duration.ofSeconds(seconds));
    double wall = (System.nanoTime() - wallStart) / 1e9;
    long hubCpu = hubCpu(threads) - hubCpuBefore;

    double rate = done / wall;
    double hubMsPer = hubCpu / 1e6 / done;
    System.out.printf("reconnects (TCP + mTLS handshake + Hello/Welcome + session token): %d in"
        + " %.1f s = %.0f/s%n", done, wall, rate);
    System.out.printf("hub CPU (netty event loops + tunnel callbacks): %.2f ms per reconnect ->"
        + " ~%.0f reconnects/s per core%n", hubMsPer, 1000 / hubMsPer);
    System.out.printf("load average at the end: %.1f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    // Where the hub's Java time goes per reconnect, measured alone on one thread.
    var verifier = new io.cortexhub.hub.pki.PeerCertificateVerifier(security.pki(), clock,
        core.identities()::isEnrolled, core.revocations()::isRevoked);
    X509Certificate[] chain = nodes.get(0).chain().toArray(X509Certificate[]::new);
    var identity = verifier.verify(chain).identity();
    perOp("client certificate verification (JDK ECDSA verify + checks)",
        () -> verifier.verify(chain));
    perOp("session token minting (nimbus ES256, JDK ECDSA sign)",
        () -> security.sessions().mint(identity, List.of("echo")));

    drivers.shutdownNow();
    clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    tunnel.stop(Duration.ofSeconds(5));
    callbacks.shutdownNow();
    core.stop(Duration.ofSeconds(5));
    db.close();
    System.exit(0);
  }

  private static void perOp(String what, Runnable op) {
    for (long end = System.nanoTime() + 2_000_000_000L; System.nanoTime() < end; ) {
      op.run();
    }
    long n = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < 5_000_000_000L) {
      op.run();
      n++;
    }
    System.out.printf("  %-62s %.2f ms%n", what, (System.nanoTime() - start) / 1e6 / n);
  }

  private static long hubCpu(ThreadMXBean threads) {
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && (info.getThreadName().startsWith("grpc-default")
          || info.getThreadName().startsWith("grpc-nio-boss")
          || info.getThreadName().startsWith("hub-cb-"))) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, t);
      }
    }
    return total;
  }

  private static long run(ExecutorService drivers, List<TestCredentials> nodes, int port,
      NioEventLoopGroup loop, Duration length) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder done = new LongAdder();
    AtomicLong failures = new AtomicLong();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (TestCredentials node : nodes) {
      all.add(CompletableFuture.runAsync(() -> {
        while (!stop.get()) {
          try {
            reconnect(node, port, loop);
            done.increment();
          } catch (Exception e) {
            if (failures.incrementAndGet() < 5) {
              System.err.println("reconnect failed: " + e);
            }
          }
        }
      }, drivers));
    }
    Thread.sleep(length.toMillis());
    stop.set(true);
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    if (failures.get() > 0) {
      System.err.println(failures.get() + " reconnects failed");
    }
    return done.sum();
  }

  private static void reconnect(TestCredentials node, int port, NioEventLoopGroup loop)
      throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forAddress("localhost", port)
        .eventLoopGroup(loop).channelType(NioSocketChannel.class)
        .sslContext(GrpcSslContexts.forClient()
            .trustManager(node.trusted().toArray(X509Certificate[]::new))
            .keyManager(node.keys.getPrivate(), node.chain().toArray(X509Certificate[]::new))
            .build())
        .build();
    try {
      CompletableFuture<HubFrame> welcome = new CompletableFuture<>();
      StreamObserver<NodeFrame> out = NodeTunnelGrpc.newStub(ch).connect(
          new StreamObserver<>() {
            @Override
            public void onNext(HubFrame f) {
              welcome.complete(f);
            }

            @Override
            public void onError(Throwable t) {
              welcome.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              welcome.completeExceptionally(new IllegalStateException("closed"));
            }
          });
      out.onNext(NodeFrame.newBuilder().setHello(TestNode.hello("bench")).build());
      if (!welcome.get(30, TimeUnit.SECONDS).hasWelcome()) {
        throw new IllegalStateException("no Welcome");
      }
      out.onCompleted();
    } finally {
      ch.shutdownNow();
    }
  }
}
