package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.connector.inbound.NodeRefusedException;
import io.cortexhub.hub.pki.PeerCertificateVerifier;
import io.cortexhub.hub.pki.PeerRefusedException;
import io.cortexhub.hub.pki.VerifiedPeer;
import io.cortexhub.hub.session.NodeSessionTokens;
import io.cortexhub.hub.session.SessionClaims;
import io.cortexhub.hub.session.SessionTokenException;
import io.cortexhub.proto.node.v1.NodeCredentialsGrpc;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.util.Objects;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Admits each call on the tunnel's listener: {@code Enroll} needs nothing but TLS; every other
 * method needs a client certificate that {@link PeerCertificateVerifier} accepts, and {@code Renew}
 * also a session token ({@code authorization: Bearer <jwt>}) for the same node. The verified peer
 * goes into the gRPC {@link Context} ({@link #PEER}), where the tunnel takes the node's identity
 * from. Every refusal ends the call with a status and reason and is logged. Thread-safe.
 */
public final class PeerAuthInterceptor implements ServerInterceptor {
  private static final Logger LOG = Logger.getLogger(PeerAuthInterceptor.class.getName());

  /** The node on this call, set for every call except {@code Enroll}. */
  public static final Context.Key<VerifiedPeer> PEER = Context.key("cortex-verified-peer");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final PeerCertificateVerifier certificates;
  private final NodeSessionTokens sessions;

  public PeerAuthInterceptor(PeerCertificateVerifier certificates, NodeSessionTokens sessions) {
    this.certificates = Objects.requireNonNull(certificates, "certificates");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
  }

  /** Identities from {@link #PEER}: what the tunnel uses in production. */
  public static NodeIdentityResolver identities() {
    return name -> {
      VerifiedPeer peer = PEER.get();
      if (peer == null) {
        throw new NodeRefusedException("no authenticated node identity on this stream");
      }
      return peer.identity();
    };
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.equals(NodeEnrollmentGrpc.getEnrollMethod().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    VerifiedPeer peer;
    try {
      peer = certificates.verify(peerCertificates(call));
    } catch (PeerRefusedException e) {
      Status status = (e.reason() == PeerRefusedException.Reason.REVOKED
          ? Status.PERMISSION_DENIED : Status.UNAUTHENTICATED).withDescription(e.getMessage());
      return refuse(call, status, "certificate refused (" + e.reason() + ")");
    }
    if (method.equals(NodeCredentialsGrpc.getRenewMethod().getFullMethodName())) {
      Status bearer = checkBearer(headers.get(AUTHORIZATION), peer);
      if (!bearer.isOk()) {
        return refuse(call, bearer, "node=" + peer.identity().id() + " session token refused");
      }
    }
    return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
  }

  private Status checkBearer(String header, VerifiedPeer peer) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Status.UNAUTHENTICATED.withDescription(
          "a session token is required: authorization: Bearer <token from the tunnel>");
    }
    SessionClaims claims;
    try {
      claims = sessions.verify(header.substring(7));
    } catch (SessionTokenException e) {
      return Status.UNAUTHENTICATED.withDescription(e.getMessage());
    }
    if (!claims.identity().equals(peer.identity())) {
      return Status.PERMISSION_DENIED.withDescription("the session token names node "
          + claims.identity().id() + ", the certificate node " + peer.identity().id());
    }
    return Status.OK;
  }

  private static Certificate[] peerCertificates(ServerCall<?, ?> call) {
    SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (ssl == null) {
      return null;
    }
    try {
      return ssl.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status,
      String what) {
    LOG.warning(() -> "refused " + call.getMethodDescriptor().getBareMethodName() + " from "
        + call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) + ": " + what + ": "
        + status.getCode() + " " + status.getDescription());
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() { };
  }
}
