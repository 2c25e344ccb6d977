package io.cortexhub.node.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}: where a node's identity lives (see identity.CredentialStore). */
final class StateDirOption {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "The node's private state: key, certificate, trusted hub CAs, task-signing keys, replay cache"
          + " (created 0700; default: ~/.cortex-node/state).")
  Path stateDir;

  Path resolve() {
    return (stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".cortex-node", "state"))
        .toAbsolutePath();
  }
}
