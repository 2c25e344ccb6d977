package io.cortexhub.e2e.bench;

import com.google.protobuf.ByteString;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.cortexhub.proto.node.v1.OutputAck;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.SelfSignedCertificate;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling for the tunnel: how many frames per second plain grpc-java moves over one TLS connection on
 * this machine when the server does nothing but answer each {@code OutputChunk} with an {@code OutputAck}.
 * Nothing of the hub is involved, so the hub's figures can be read as a fraction of this.
 *
 * <p>Usage: {@code GrpcEchoCeiling [seconds-per-run]}. Prints one line per (streams, payload) combination.
 */
public final class GrpcEchoCeiling {
  private GrpcEchoCeiling() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(GrpcSslContexts.forServer(cert.certificate(), cert.privateKey()).build())
            .addService(new EchoTunnel())
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .overrideAuthority("localhost")
            .sslContext(GrpcSslContexts.forClient().trustManager(cert.certificate()).build())
            .build();
    try {
      System.out.printf("grpc-java %s bidi echo over TLS on loopback, %d s per run, %d CPUs%n",
          io.grpc.Grpc.class.getPackage().getImplementationVersion(), seconds, Runtime.getRuntime().availableProcessors());
      run(channel, 1, 16, 2); // warm-up
      for (int streams : new int[] {1, 16, 256}) {
        for (int payload : new int[] {16, 1024}) {
          double rate = run(channel, streams, payload, seconds);
          System.out.printf("streams=%-4d payload=%-5dB  %,12.0f frames/s echoed%n", streams, payload, rate);
        }
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      cert.delete();
    }
  }

  /** Runs {@code streams} flow-controlled streams for {@code seconds}; returns acknowledged frames per second. */
  private static double run(ManagedChannel channel, int streams, int payload, int seconds) throws InterruptedException {
    AtomicLong acked = new AtomicLong();
    CountDownLatch done = new CountDownLatch(streams);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ByteString data = ByteString.copyFrom(new byte[payload]);
    List<ClientCallStreamObserver<NodeFrame>> calls = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      NodeTunnelGrpc.newStub(channel).connect(new Sender(data, deadline, acked, done, calls));
    }
    long start = System.nanoTime();
    done.await(seconds + 30L, TimeUnit.SECONDS);
    return acked.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** Client side of one stream: sends while the transport is ready, until the deadline. */
  private static final class Sender implements ClientResponseObserver<NodeFrame, HubFrame> {
    private final ByteString data;
    private final long deadline;
    private final AtomicLong acked;
    private final CountDownLatch done;
    private final List<ClientCallStreamObserver<NodeFrame>> calls;
    private ClientCallStreamObserver<NodeFrame> requests;
    private long seq;
    private boolean completed;

    Sender(ByteString data, long deadline, AtomicLong acked, CountDownLatch done, List<ClientCallStreamObserver<NodeFrame>> calls) {
      this.data = data;
      this.deadline = deadline;
      this.acked = acked;
      this.done = done;
      this.calls = calls;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<NodeFrame> requestStream) {
      requests = requestStream;
      synchronized (calls) {
        calls.add(requestStream);
      }
      requestStream.setOnReadyHandler(this::pump);
    }

    private synchronized void pump() {
      while (!completed && requests.isReady()) {
        if (System.nanoTime() - deadline > 0) {
          completed = true;
          requests.onCompleted();
          return;
        }
        requests.onNext(
            NodeFrame.newBuilder()
                .setOutput(OutputChunk.newBuilder().setTaskId("bench").setSeq(++seq).setData(data))
                .build());
      }
    }

    @Override
    public void onNext(HubFrame value) {
      acked.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }

  /** Server side: every output chunk is answered by an ack of its seq. */
  private static final class EchoTunnel extends NodeTunnelGrpc.NodeTunnelImplBase {
    @Override
    public StreamObserver<NodeFrame> connect(StreamObserver<HubFrame> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(NodeFrame frame) {
          responses.onNext(
              HubFrame.newBuilder()
                  .setOutputAck(OutputAck.newBuilder().setTaskId(frame.getOutput().getTaskId()).setSeq(frame.getOutput().getSeq()))
                  .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }
}
