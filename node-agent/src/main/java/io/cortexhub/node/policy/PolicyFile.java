package io.cortexhub.node.policy;

import io.cortexhub.node.sandbox.IsolationLevel;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the node owner's policy file ({@code /etc/cortex-node/policy.yaml} or {@code --policy}).
 *
 * <p>Schema (YAML; every key optional; unknown keys are errors so that a typo never loosens the
 * policy). The full reference with examples is {@code docs/policy-reference.md}.
 *
 * <pre>
 * version: 1                       # the only version
 * consent: strict                  # strict | auto-approve-safe | auto            (default strict)
 * minimumIsolation: bubblewrap     # none | setpriv | unshare | bubblewrap        (default none)
 * runAs: nobody                    # user, user:group, uid:gid, or "agent" = no drop (default nobody)
 * network: false                   # false = an empty network namespace           (default false)
 * searchPath: /usr/local/bin:/usr/bin:/bin   # resolves argv[0]; tasks get it as PATH
 * envAllow: [LANG, LC_*]           # variables a task may set; NAME or PREFIX*    (default none)
 * readOnlyPaths: [/opt/jdk]        # extra host paths visible read-only in bubblewrap
 * workspaces:                      # roots tasks may use                          (default none)
 *   - path: /srv/work
 *     writable: true               # default false
 * limits:                          # per task; 0 = no limit
 *   memory: 512M                   # bytes, or K/M/G suffix                        (default 1G)
 *   cpu: 1.5                       # CPUs, or millicores like 500m                (default 1)
 *   processes: 256                 #                                               (default 256)
 *   wallTime: 1h                   # ms, s, m or h suffix                          (default 1h)
 * commands:                        # what may run                                  (default none)
 *   - path: /usr/bin/git           # resolved to its real path at load
 *     subcommands: [status, log, diff]
 *     forbiddenFlags: [--output]
 *     argPattern: '[^\n]*'
 *     maxArgs: 32
 *     interpreter: false           # true = allowed although it runs code it is given
 * </pre>
 *
 * <p>The file is refused if it (or its directory) is writable by users other than its owner, if it
 * lies inside a writable workspace root (a task could rewrite its own rules), if a command's file is
 * writable by others or lies in a writable root, or if a writable root is or contains a system
 * directory. Stateless; thread-safe.
 */
public final class PolicyFile {
  /** The {@code runAs} value that keeps the agent's own user (no privilege drop). */
  public static final String RUN_AS_AGENT = "agent";
  /** The default location the daemon reads when no {@code --policy} is given. */
  public static final Path DEFAULT_LOCATION = Path.of("/etc/cortex-node/policy.yaml");

  static final long MAX_FILE_BYTES = 256 * 1024;

  private PolicyFile() {}

  /**
   * The policy without a file: no command may run (echo tasks still work), no workspace roots,
   * network off, consent {@code strict}, run as {@code nobody}, minimum isolation {@code none} (so
   * the agent starts anywhere; with no commands allowed there is nothing to isolate), no variables,
   * limits of 1 GiB, one CPU, 256 processes and one hour.
   */
  public static NodePolicy defaults() {
    return new NodePolicy(
        List.of(),
        false,
        Optional.of("nobody"),
        List.of(),
        defaultLimits(),
        ConsentMode.STRICT,
        IsolationLevel.NONE,
        List.of(),
        NodePolicy.DEFAULT_SEARCH_PATH,
        List.of());
  }

  static ResourceLimits defaultLimits() {
    return new ResourceLimits(1L << 30, 1000, 256, Duration.ofHours(1));
  }

  /**
   * Reads and checks a policy file.
   *
   * @throws PolicyException naming the file, line and key of the first problem
   */
  public static NodePolicy load(Path file) {
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new PolicyException(file + ": cannot read the policy file: " + e);
    }
    checkNotWritableByOthers(real, "the policy file");
    checkNotWritableByOthers(real.getParent(), "the policy file's directory");
    String text;
    try {
      if (Files.size(real) > MAX_FILE_BYTES) {
        throw new PolicyException(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a policy");
      }
      byte[] bytes = Files.readAllBytes(real);
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new PolicyException(file + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new PolicyException(file + ": cannot read the policy file: " + e, e);
    }
    NodePolicy policy = parse(text, file.toString());
    for (WorkspaceRoot r : policy.workspaceRoots()) {
      if (r.writable() && r.contains(real)) {
        throw new PolicyException(
            file + ": lies inside the writable workspace root " + r.path() + ": a task could rewrite the policy");
      }
    }
    return policy;
  }

  /**
   * Parses policy text; paths in it are checked against this machine (they must exist).
   *
   * @param name how errors name the source (a file name)
   */
  public static NodePolicy parse(String text, String name) {
    return new PolicyReader(new YamlTree(name)).read(text);
  }

  static void checkNotWritableByOthers(Path p, String what) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new PolicyException(
            what + " " + p + " is writable by its group or by everyone; only its owner may change it");
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check here.
    } catch (IOException e) {
      throw new PolicyException("cannot read the permissions of " + what + " " + p + ": " + e, e);
    }
  }
}
