package io.cortexhub.node.cli;

import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tls.HubTrustException;
import io.cortexhub.node.tunnel.HubAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Options shared by {@code enroll}, {@code run} and {@code simulate}: where the hub is, how to trust
 * it before enrollment, logging. Which of them a command requires is the command's to check: an
 * enrolled node remembers its hub and trusts the CAs of its credentials.
 */
final class HubOptions {
  @Option(
      names = "--hub",
      paramLabel = "HOST:PORT",
      description = "The hub's tunnel address, e.g. localhost:9443 or [::1]:9443.")
  String hub;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Trust trust;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "error, warn, info or debug (default: info for run and enroll, warn for simulate).")
  String logLevel;

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description = "Append JSON-lines logs to FILE instead of stderr.")
  Path logFile;

  static final class Trust {
    @Option(
        names = "--ca-file",
        paramLabel = "PEM",
        description = "For enrollment: trust the hub CA certificate(s) in this PEM file (<hub data>/tls/ca.pem).")
    Path caFile;

    @Option(
        names = "--ca-fingerprint",
        paramLabel = "sha256:HEX",
        description = "For enrollment: trust a hub whose chain holds the CA with this SHA-256 DER fingerprint.")
    String caFingerprint;
  }

  /** The {@code --hub} address if given; a malformed one is a usage error. */
  Optional<HubAddress> address(CommandSpec spec) {
    if (hub == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(HubAddress.parse(hub));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hub: " + e.getMessage());
    }
  }

  HubAddress requireAddress(CommandSpec spec) {
    return address(spec)
        .orElseThrow(() -> new ParameterException(spec.commandLine(), "Missing required option: '--hub=HOST:PORT'"));
  }

  /** The trust given by {@code --ca-file} or {@code --ca-fingerprint}, checked now if given. */
  Optional<HubTrust> hubTrust(CommandSpec spec) {
    if (trust == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          trust.caFile != null ? HubTrust.caFile(trust.caFile) : HubTrust.caFingerprint(trust.caFingerprint));
    } catch (HubTrustException e) {
      throw new ParameterException(
          spec.commandLine(), (trust.caFile != null ? "--ca-file: " : "--ca-fingerprint: ") + e.getMessage());
    }
  }

  HubTrust requireTrust(CommandSpec spec, String why) {
    return hubTrust(spec)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(), why + " needs one of --ca-file=PEM or --ca-fingerprint=sha256:HEX"));
  }

  Level level(CommandSpec spec, Level defaultLevel) {
    if (logLevel == null) {
      return defaultLevel;
    }
    return switch (logLevel.toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--log-level must be error, warn, info or debug, got '" + logLevel + "'");
    };
  }

  Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }
}
