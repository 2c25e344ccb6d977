package io.cortexhub.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.testing.FakeIdentityHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TlsFakeHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A simulated fleet is a set of enrolled identities, each on its own mutual-TLS connection. */
class SimulateCommandTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  static int simulate(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    if (code != 0) {
      throw new AssertionError("simulate exited " + code + ": " + err);
    }
    return code;
  }

  static Set<X509Certificate> certs(List<FakeIdentityHub.Call> calls) {
    return calls.stream().map(c -> c.clientCert().orElseThrow()).collect(Collectors.toSet());
  }

  @Test
  void eachSimulatedNode_connectsAsItsOwnEnrolledIdentity_andRerunsReuseThem() throws Exception {
    TlsFakeHub hub = TlsFakeHub.start(grpc);
    String states = dir.resolve("fleet").toString();
    simulate(
        "simulate", "--hub", hub.address.toString(), "--count", "3", "--join-token", hub.identity.token("fleet", 3),
        "--ca-fingerprint", hub.ca.fingerprint(), "--state-dir", states, "--duration", "2", "--status-every", "1");
    assertThat(hub.identity.calls("Enroll")).hasSize(3);
    Set<X509Certificate> first = certs(hub.identity.calls("Connect"));
    assertThat(first).hasSize(3)
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactlyInAnyOrder("CN=n-00000000000000000001", "CN=n-00000000000000000002", "CN=n-00000000000000000003");

    int connectsBefore = hub.identity.calls("Connect").size();
    simulate("simulate", "--hub", hub.address.toString(), "--count", "3", "--state-dir", states, "--duration", "2");
    assertThat(hub.identity.calls("Enroll")).hasSize(3); // no new enrollment: the token is used up anyway
    List<FakeIdentityHub.Call> connects = hub.identity.calls("Connect");
    assertThat(certs(connects.subList(connectsBefore, connects.size()))).isEqualTo(first);
  }
}
