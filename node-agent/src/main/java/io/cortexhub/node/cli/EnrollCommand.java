package io.cortexhub.node.cli;

import io.cortexhub.node.identity.CredentialStore;
import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.identity.EnrollmentClient;
import io.cortexhub.node.identity.InvalidCredentialsException;
import io.cortexhub.node.identity.NodeProfile;
import io.cortexhub.node.logging.LogSetup;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.HubAddress;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cortex-node enroll}: makes this node's key pair, has the hub certify it with an admin's join
 * token, and stores the credentials in the state directory for {@code run}.
 */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = "Enroll this node with a hub using a join token; stores its key and certificate in --state-dir.")
final class EnrollCommand implements Callable<Integer> {
  /** Environment variable read when {@code --token} is absent (keeps the token out of {@code ps}). */
  static final String TOKEN_ENV = "CORTEX_JOIN_TOKEN";

  @Spec CommandSpec spec;

  @Mixin HubOptions hub;

  @Mixin StateDirOption state;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The join token an admin created (POST /api/v1/join-tokens); default: $" + TOKEN_ENV + ".")
  String token;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Display name of this node, 1..128 characters of [A-Za-z0-9._-] (default: the host name).")
  String name;

  @Option(
      names = "--force",
      description = "Replace credentials that are still valid (enrolling again makes a new node identity).")
  boolean force;

  @Override
  public Integer call() {
    HubAddress address = hub.requireAddress(spec);
    HubTrust trust = hub.requireTrust(spec, "enroll");
    String joinToken = token != null ? token : System.getenv(TOKEN_ENV);
    if (joinToken == null || joinToken.isBlank()) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--token=TOKEN' (or $" + TOKEN_ENV + ")");
    }
    String displayName = checkedName(spec, name, "--name");
    CredentialStore store = new CredentialStore(state.resolve());
    if (!force) {
      Optional<Credentials> existing;
      try {
        existing = store.load();
      } catch (InvalidCredentialsException e) {
        existing = Optional.empty(); // damaged: enrolling again is the repair
      }
      if (existing.isPresent() && !existing.get().expiredAt(Clock.systemUTC().instant())) {
        throw new ParameterException(
            spec.commandLine(),
            store.stateDir() + " already holds valid credentials of node " + existing.get().nodeId()
                + "; use --force to replace them with a new identity");
      }
    }
    LogSetup.configure(hub.level(spec, Level.INFO), hub.logFile());
    Credentials c = enrollInto(store, address, trust, joinToken, displayName);
    PrintWriter out = spec.commandLine().getOut();
    out.println("enrolled as node " + c.nodeId() + " in workspace " + c.workspace());
    out.println("certificate valid until " + c.notAfter() + "; the running node renews it by itself");
    out.println("trusting hub CA " + String.join(", ", c.trustedCaFingerprints()));
    out.println("credentials stored in " + store.stateDir());
    out.println("start the node with: cortex-node run --state-dir " + store.stateDir());
    out.flush();
    return ExitCodes.OK;
  }

  /** Enrolls and stores credentials and profile; shared with {@code run --join-token}. */
  static Credentials enrollInto(
      CredentialStore store, HubAddress address, HubTrust trust, String joinToken, String displayName) {
    store.ensureDirectory();
    Credentials c =
        new EnrollmentClient(new SecureRandom(), EnrollmentClient.DEFAULT_DEADLINE)
            .enroll(address, trust, joinToken, displayName);
    store.save(c);
    store.saveProfile(new NodeProfile(address, displayName));
    return c;
  }

  /** The given name if valid, else this host's name made valid. */
  static String checkedName(CommandSpec spec, String given, String option) {
    if (given != null) {
      if (!AgentSettings.NODE_NAME.matcher(given).matches()) {
        throw new ParameterException(
            spec.commandLine(), option + ": node name must be 1..128 characters of [A-Za-z0-9._-], got '" + given + "'");
      }
      return given;
    }
    return hostName();
  }

  static String hostName() {
    String h = HostFacts.probe().hostname().replaceAll("[^A-Za-z0-9._-]", "-");
    if (h.isEmpty()) {
      return "cortex-node";
    }
    return h.length() > 128 ? h.substring(0, 128) : h;
  }
}
