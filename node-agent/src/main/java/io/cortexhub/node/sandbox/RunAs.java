package io.cortexhub.node.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The numeric user and group a task runs as, resolved once from the policy's {@code runAs} ({@code
 * user}, {@code user:group} or {@code uid:gid}) against {@code /etc/passwd} and {@code /etc/group}.
 * Numeric ids are handed to {@code setpriv} so that nothing inside the sandbox needs the account
 * files.
 */
public record RunAs(String name, int uid, int gid) {
  public RunAs {
    if (uid <= 0 || gid < 0) {
      throw new IllegalArgumentException("tasks never run as root (uid " + uid + ")");
    }
  }

  /**
   * Resolves a {@code runAs} value on this machine.
   *
   * @throws IllegalArgumentException naming what is unknown
   */
  public static RunAs resolve(String spec) {
    return resolve(spec, Path.of("/etc/passwd"), Path.of("/etc/group"));
  }

  static RunAs resolve(String spec, Path passwd, Path group) {
    String[] parts = spec.split(":", 2);
    String user = parts[0];
    String[] pw = user.matches("[0-9]+") ? lookup(passwd, 2, user).orElse(null) : lookup(passwd, 0, user).orElse(null);
    int uid;
    int primaryGid;
    if (pw != null) {
      uid = Integer.parseInt(pw[2]);
      primaryGid = Integer.parseInt(pw[3]);
    } else if (user.matches("[0-9]+")) {
      uid = Integer.parseInt(user);
      primaryGid = uid;
    } else {
      throw new IllegalArgumentException("runAs: no user '" + user + "' on this machine");
    }
    int gid = primaryGid;
    if (parts.length == 2) {
      String g = parts[1];
      if (g.matches("[0-9]+")) {
        gid = Integer.parseInt(g);
      } else {
        gid = lookup(group, 0, g).map(f -> Integer.parseInt(f[2]))
            .orElseThrow(() -> new IllegalArgumentException("runAs: no group '" + g + "' on this machine"));
      }
    }
    return new RunAs(spec, uid, gid);
  }

  private static Optional<String[]> lookup(Path file, int field, String value) {
    try {
      return Files.readAllLines(file).stream()
          .map(l -> l.split(":", -1))
          .filter(f -> f.length > 3 && f[field].equals(value))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
