package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.proto.node.v1.Capability;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The node end of one tunnel stream, for tests: sends frames, awaits what the hub sends. */
final class TestNode implements StreamObserver<HubFrame> {
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  final StreamObserver<NodeFrame> out;

  TestNode(Channel channel) {
    out = NodeTunnelGrpc.newStub(channel).connect(this);
  }

  static Hello.Builder hello(String name) {
    return Hello.newBuilder().setProtocolVersion(1).setNodeName(name)
        .setManifest(Manifest.newBuilder().setMaxConcurrentTasks(2)
            .addCapabilities(Capability.newBuilder().setName("echo")));
  }

  TestNode send(NodeFrame frame) {
    out.onNext(frame);
    return this;
  }

  TestNode sendHello(String name) {
    return send(NodeFrame.newBuilder().setHello(hello(name)).build());
  }

  /** The next frame from the hub (fails on a status or after 10 s). */
  HubFrame nextFrame() throws InterruptedException {
    Object o = received.poll(10, TimeUnit.SECONDS);
    assertThat(o).as("a frame from the hub").isInstanceOf(HubFrame.class);
    return (HubFrame) o;
  }

  /** The status the hub ended the stream with, skipping frames before it. */
  Status awaitStatus() throws InterruptedException {
    while (true) {
      Object o = received.poll(10, TimeUnit.SECONDS);
      assertThat(o).as("the stream to end").isNotNull();
      if (o instanceof Status s) {
        return s;
      }
    }
  }

  @Override
  public void onNext(HubFrame value) {
    received.add(value);
  }

  @Override
  public void onError(Throwable t) {
    received.add(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    received.add(Status.OK);
  }
}
