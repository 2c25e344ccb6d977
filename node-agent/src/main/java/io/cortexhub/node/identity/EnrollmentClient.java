package io.cortexhub.node.identity;

import com.google.protobuf.ByteString;
import io.cortexhub.node.tls.HubChannels;
import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.EnrollResponse;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Enrolls a node: makes its key pair, sends the CSR with the admin's join token over
 * server-authenticated TLS ({@code NodeEnrollment.Enroll}) and checks what comes back.
 *
 * <p>The hub decides the identity (node id, workspace, labels); the node only proves the admin's
 * consent (the token) and possession of its new key (the CSR's self-signature). Errors become an
 * {@link EnrollmentException} that says what to do. Thread-safe (stateless apart from the random
 * source).
 */
public final class EnrollmentClient {
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private final SecureRandom random;
  private final Duration deadline;

  public EnrollmentClient(SecureRandom random, Duration deadline) {
    this.random = Objects.requireNonNull(random, "random");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /** Enrolls over a fresh server-authenticated TLS channel to {@code hub}, closed afterwards. */
  public Credentials enroll(HubAddress hub, HubTrust trust, String joinToken, String nodeName) {
    ManagedChannel channel =
        HubChannels.open(hub.host(), hub.port(), trust, HubChannels.DEFAULT_MAX_FRAME_BYTES, Runnable::run);
    try {
      return enroll(channel, joinToken, nodeName, hub + " (" + trust.describe() + ")");
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Enrolls over {@code channel}.
   *
   * @param hubDescription names the hub in error messages
   * @throws EnrollmentException if the hub refuses, cannot be reached or verified, or answers with
   *     unusable credentials
   */
  public Credentials enroll(Channel channel, String joinToken, String nodeName, String hubDescription) {
    if (joinToken == null || joinToken.isBlank()) {
      throw new IllegalArgumentException("the join token is empty");
    }
    KeyAndCsr request = KeyAndCsr.generate(nodeName, random);
    EnrollResponse response;
    try {
      response =
          NodeEnrollmentGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .enroll(
                  EnrollRequest.newBuilder()
                      .setJoinToken(joinToken.strip())
                      .setCsrDer(ByteString.copyFrom(request.csrDer()))
                      .setNodeName(nodeName)
                      .build());
    } catch (StatusRuntimeException e) {
      throw explain(e, hubDescription);
    }
    try {
      return Credentials.fromBundle(response.getCredentials(), request.keys().getPrivate());
    } catch (InvalidCredentialsException e) {
      throw new EnrollmentException(
          Status.Code.INTERNAL, "the hub at " + hubDescription + " sent unusable credentials: " + e.getMessage(), e);
    }
  }

  private EnrollmentException explain(StatusRuntimeException e, String hub) {
    Status s = e.getStatus();
    String said = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    String message =
        switch (s.getCode()) {
          case UNAUTHENTICATED ->
              "the hub at " + hub + " refused the join token: " + said
                  + ". Join tokens work once and expire (15 minutes by default): ask an admin for a new one";
          case PERMISSION_DENIED -> "the hub at " + hub + " refused to enroll this node: " + said;
          case INVALID_ARGUMENT -> "the hub at " + hub + " rejected this node's certificate request: " + said;
          case UNIMPLEMENTED -> "the hub at " + hub + " does not offer enrollment (an older hub?): " + said;
          case DEADLINE_EXCEEDED -> "the hub at " + hub + " did not answer within " + deadline.toSeconds() + " s";
          case UNAVAILABLE -> tlsFailure(e) ? untrustedHub(e, hub) : "cannot reach the hub at " + hub + ": " + rootMessage(e);
          default -> "enrollment at " + hub + " failed: " + s.getCode() + ": " + said;
        };
    return new EnrollmentException(s.getCode(), message, e);
  }

  private static String untrustedHub(Throwable e, String hub) {
    String why = rootMessage(e);
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertificateException && c.getMessage() != null) {
        why = c.getMessage(); // the trust manager's own words name both fingerprints
        break;
      }
    }
    return "cannot verify the hub at " + hub + ": " + why
        + (why.contains("--ca-fingerprint") ? "" : "; check --ca-fingerprint (the hub logs it at boot) or --ca-file");
  }

  private static boolean tlsFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CertificateException || c instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    String msg = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        msg = c.getMessage();
      }
    }
    return msg;
  }
}
