package io.cortexhub.node.testing;

import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.EnrollResponse;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.NodeCredentialsGrpc;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.cortexhub.proto.node.v1.RenewRequest;
import io.cortexhub.proto.node.v1.RenewResponse;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The hub's identity side in tests: {@code NodeEnrollment} (join tokens with a number of uses) and
 * {@code NodeCredentials.Renew} (bearer token required; over TLS the client certificate too), issuing
 * certificates with a {@link TestCa} and pinning a {@link TestTaskSigner}'s key. Its interceptor
 * records the client certificate of every call, so tests see which certificate a handshake used.
 */
public final class FakeIdentityHub {
  /** One call as the hub saw it. */
  public record Call(String method, Optional<X509Certificate> clientCert, Optional<String> authorization) {}

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Clock clock;
  private final Map<String, Integer> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger nodeSeq = new AtomicInteger();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<X509Certificate> issued = new CopyOnWriteArrayList<>();
  private final io.grpc.Context.Key<Call> currentCall = io.grpc.Context.key("call");

  public volatile TestCa issuer;
  public volatile List<TestCa> trusted;
  public volatile List<TestTaskSigner> signers;
  public volatile Duration lifetime = Duration.ofHours(24);
  public volatile String workspace = "default";
  /** Renew refuses calls without this bearer token (null: any non-empty one). */
  public volatile String expectedBearer;
  /** Node id renewed over a transport without TLS (in-process tests). */
  public volatile String inProcessNodeId;
  /** When set, Renew fails with it. */
  public volatile Status renewFailure;
  /** When set, Renew answers with a certificate for this node id instead (a misbehaving hub). */
  public volatile String renewAsNodeId;

  public FakeIdentityHub(Clock clock, TestCa ca, TestTaskSigner signer) {
    this.clock = clock;
    this.issuer = ca;
    this.trusted = List.of(ca);
    this.signers = List.of(signer);
  }

  /** A join token good for {@code uses} enrollments. */
  public String token(String token, int uses) {
    tokens.put(token, uses);
    return token;
  }

  public List<Call> calls() {
    return calls;
  }

  public List<Call> calls(String methodSuffix) {
    return calls.stream().filter(c -> c.method().endsWith(methodSuffix)).toList();
  }

  public List<X509Certificate> issued() {
    return issued;
  }

  public ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Call c = new Call(call.getMethodDescriptor().getFullMethodName(), peer(call), Optional.ofNullable(headers.get(AUTHORIZATION)));
        calls.add(c);
        return io.grpc.Contexts.interceptCall(io.grpc.Context.current().withValue(currentCall, c), call, headers, next);
      }
    };
  }

  private static Optional<X509Certificate> peer(ServerCall<?, ?> call) {
    SSLSession s = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (s == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = s.getPeerCertificates();
      return chain.length == 0 ? Optional.empty() : Optional.of((X509Certificate) chain[0]);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  public NodeEnrollmentGrpc.NodeEnrollmentImplBase enrollment() {
    return new NodeEnrollmentGrpc.NodeEnrollmentImplBase() {
      @Override
      public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> out) {
        Integer left = tokens.computeIfPresent(request.getJoinToken(), (k, v) -> v - 1);
        if (left == null || left < 0) {
          out.onError(Status.UNAUTHENTICATED.withDescription("join token unknown, used or expired").asRuntimeException());
          return;
        }
        PublicKey key;
        try {
          key = TestCa.csrKey(request.getCsrDer().toByteArray());
        } catch (IllegalArgumentException e) {
          out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
          return;
        }
        String nodeId = String.format("n-%020d", nodeSeq.incrementAndGet());
        out.onNext(EnrollResponse.newBuilder().setCredentials(bundle(key, nodeId)).build());
        out.onCompleted();
      }
    };
  }

  public NodeCredentialsGrpc.NodeCredentialsImplBase credentials() {
    return new NodeCredentialsGrpc.NodeCredentialsImplBase() {
      @Override
      public void renew(RenewRequest request, StreamObserver<RenewResponse> out) {
        Call call = currentCall.get();
        String auth = call.authorization().orElse("");
        String want = expectedBearer;
        if (!auth.startsWith("Bearer ") || auth.length() == 7 || (want != null && !auth.equals("Bearer " + want))) {
          out.onError(Status.UNAUTHENTICATED.withDescription("missing or invalid session token").asRuntimeException());
          return;
        }
        Status fail = renewFailure;
        if (fail != null) {
          out.onError(fail.asRuntimeException());
          return;
        }
        String nodeId;
        if (call.clientCert().isPresent()) {
          nodeId = call.clientCert().get().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
        } else if (inProcessNodeId != null) {
          nodeId = inProcessNodeId;
        } else {
          out.onError(Status.UNAUTHENTICATED.withDescription("a client certificate is required").asRuntimeException());
          return;
        }
        if (renewAsNodeId != null) {
          nodeId = renewAsNodeId;
        }
        PublicKey key = TestCa.csrKey(request.getCsrDer().toByteArray());
        out.onNext(RenewResponse.newBuilder().setCredentials(bundle(key, nodeId)).build());
        out.onCompleted();
      }
    };
  }

  private NodeCredentialBundle bundle(PublicKey key, String nodeId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    X509Certificate cert = issuer.issueNode(key, nodeId, workspace, now, now.plus(lifetime));
    issued.add(cert);
    return issuer.bundle(cert, nodeId, workspace, trusted, signers.stream().map(TestTaskSigner::signingKey).toList());
  }
}
