package io.cortexhub.node.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void everySimulatedNode_hasItsOwnStream_andAnswersEcho() throws Exception {
    ExecutorService pool = grpc.register(Executors.newFixedThreadPool(2));
    ScheduledExecutorService timers = grpc.register(Executors.newSingleThreadScheduledExecutor());
    FakeHub hub = new FakeHub();
    String name = InProcessServerBuilder.generateName();
    grpc.register(InProcessServerBuilder.forName(name).addService(hub).build().start());
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      channels.add(grpc.register(InProcessChannelBuilder.forName(name).directExecutor().build()));
    }
    Clock clock = Clock.systemUTC();
    TestTaskSigner signer = TestTaskSigner.create();
    List<Simulation.Node> nodes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      nodes.add(new Simulation.Node(Simulation.nodeName("sim-", i), channels.get(i % 3), signer.nodeSecurity(clock)));
    }
    AgentRuntime rt = new AgentRuntime(clock, timers, pool, pool, new Random(3), () -> -1);
    var settings = Simulation.nodeSettings(dir, 4, Map.of("simulated", "true"));
    var manifest = ManifestBuilder.build(HostFacts.probe(), List.of("echo"), settings.labels(), 4);
    AgentMetrics metrics = new AgentMetrics();
    Simulation sim = new Simulation(nodes, settings, manifest, rt, metrics, 10_000);
    grpc.onClose(() -> sim.stop(Duration.ofSeconds(5)));
    sim.start();

    Map<String, FakeHub.Stream> byName = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      FakeHub.Stream s = hub.nextStream(Duration.ofSeconds(10));
      byName.put(s.next().getHello().getNodeName(), s);
    }
    assertThat(byName).hasSize(50).containsKeys("sim-00000", "sim-00049");
    List<FakeHub.Stream> streams = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      FakeHub.Stream s = byName.get(Simulation.nodeName("sim-", i));
      s.welcome("id-" + i, 1000);
      s.grant("echo");
      streams.add(s);
    }
    Await.until("all connected", () -> metrics.connected() == 50);

    long now = clock.millis();
    for (int i = 0; i < streams.size(); i++) {
      byte[] nonce = new byte[16];
      nonce[0] = (byte) i;
      TaskSpec spec =
          TaskSpec.newBuilder()
              .setTaskId("echo-" + i)
              .setNodeId("id-" + i)
              .setCapability("echo")
              .setIssuedAtUnixMs(now)
              .setNotAfterUnixMs(now + 60_000)
              .setNonce(ByteString.copyFrom(nonce))
              .setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8("ping " + i)))
              .build();
      streams.get(i).assign(signer.assignment(spec));
    }
    for (int i = 0; i < streams.size(); i++) {
      NodeFrame out = streams.get(i).nextMatching(NodeFrame::hasOutput);
      assertThat(out.getOutput().getData().toStringUtf8()).isEqualTo("ping " + i);
      streams.get(i).nextMatching(NodeFrame::hasTaskFinished);
    }
    assertThat(metrics.finished()).isEqualTo(50);
    assertThat(sim.statusLine()).contains("nodes=50", "connected=50", "done=50");
  }
}
