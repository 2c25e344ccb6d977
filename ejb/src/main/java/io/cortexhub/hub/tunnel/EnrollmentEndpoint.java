package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.enrollment.CredentialBundle;
import io.cortexhub.hub.enrollment.Enrollment;
import io.cortexhub.hub.enrollment.JoinTokenRefusedException;
import io.cortexhub.hub.enrollment.NodeNotRenewableException;
import io.cortexhub.hub.pki.InvalidCsrException;
import io.cortexhub.hub.pki.VerifiedPeer;
import io.cortexhub.hub.signing.TaskSigningKey;
import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.EnrollResponse;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.NodeCredentialsGrpc;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.cortexhub.proto.node.v1.RenewRequest;
import io.cortexhub.proto.node.v1.RenewResponse;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The identity services on the tunnel's listener: {@code NodeEnrollment.Enroll} and {@code
 * NodeCredentials.Renew}, translating between the wire and {@link Enrollment}. Who may call what
 * is {@link PeerAuthInterceptor}'s decision; this class only maps outcomes to statuses and logs
 * each refusal. Thread-safe.
 */
public final class EnrollmentEndpoint {
  private static final Logger LOG = Logger.getLogger(EnrollmentEndpoint.class.getName());

  private final Enrollment enrollment;

  public EnrollmentEndpoint(Enrollment enrollment) {
    this.enrollment = Objects.requireNonNull(enrollment, "enrollment");
  }

  /** {@code NodeEnrollment}. */
  public BindableService enrollService() {
    return new NodeEnrollmentGrpc.NodeEnrollmentImplBase() {
      @Override
      public void enroll(EnrollRequest r, StreamObserver<EnrollResponse> out) {
        answer("Enroll", out, () -> EnrollResponse.newBuilder().setCredentials(wire(
            enrollment.enroll(r.getJoinToken(), r.getCsrDer().toByteArray(), r.getNodeName())))
            .build());
      }
    };
  }

  /** {@code NodeCredentials}. */
  public BindableService credentialsService() {
    return new NodeCredentialsGrpc.NodeCredentialsImplBase() {
      @Override
      public void renew(RenewRequest r, StreamObserver<RenewResponse> out) {
        VerifiedPeer peer = PeerAuthInterceptor.PEER.get();
        if (peer == null) {
          out.onError(Status.UNAUTHENTICATED.withDescription("no verified client certificate")
              .asRuntimeException());
          return;
        }
        answer("Renew node=" + peer.identity().id(), out, () -> RenewResponse.newBuilder()
            .setCredentials(wire(enrollment.renew(peer.identity(), r.getCsrDer().toByteArray())))
            .build());
      }
    };
  }

  /** Both services, for {@link TunnelServer}. */
  public ServerServiceDefinition[] services() {
    return new ServerServiceDefinition[] {enrollService().bindService(),
        credentialsService().bindService()};
  }

  private static <T> void answer(String what, StreamObserver<T> out, Supplier<T> work) {
    T reply;
    try {
      reply = work.get();
    } catch (InvalidCsrException e) {
      refuse(what, out, Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    } catch (JoinTokenRefusedException e) {
      refuse(what, out, Status.UNAUTHENTICATED.withDescription(e.getMessage()));
      return;
    } catch (NodeNotRenewableException e) {
      refuse(what, out, Status.PERMISSION_DENIED.withDescription(e.getMessage()));
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, what + " failed", e);
      out.onError(Status.UNAVAILABLE.withDescription("hub error; try again later")
          .asRuntimeException());
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }

  private static void refuse(String what, StreamObserver<?> out, Status status) {
    LOG.warning(() -> what + " refused: " + status.getCode() + " " + status.getDescription());
    out.onError(status.asRuntimeException());
  }

  static NodeCredentialBundle wire(CredentialBundle b) {
    NodeCredentialBundle.Builder w = NodeCredentialBundle.newBuilder()
        .setNodeId(b.identity().id().value())
        .setWorkspace(b.identity().workspace().value())
        .setCertificateChainPem(b.certificateChainPem())
        .setTrustedCasPem(b.trustedCasPem())
        .setNotBeforeUnixMs(b.notBefore().toEpochMilli())
        .setNotAfterUnixMs(b.notAfter().toEpochMilli())
        .putAllLabels(b.labels());
    for (TaskSigningKey k : b.taskSigningKeys()) {
      w.addTaskSigningKeys(io.cortexhub.proto.node.v1.TaskSigningKey.newBuilder()
          .setKeyId(k.keyId()).setAlgorithm(k.algorithm())
          .setPublicKey(ByteString.copyFrom(k.publicKey())));
    }
    return w.build();
  }
}
