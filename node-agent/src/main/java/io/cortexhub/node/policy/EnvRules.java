package io.cortexhub.node.policy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Environment variables no policy may let a task set, because each one makes some program load or
 * run code of the caller's choosing ({@code LD_PRELOAD}, {@code BASH_ENV}, {@code GIT_SSH_COMMAND},
 * ...), and the shape of allow-list entries. Stateless.
 */
final class EnvRules {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern ENTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}\\*?");

  /** Exact names and prefixes ({@code *} at the end) that are never allowed. */
  private static final List<String> NEVER =
      List.of(
          "LD_*", "GCONV_PATH", "HOSTALIASES", "LOCPATH", "NLSPATH", "MALLOC_*", "GLIBC_TUNABLES",
          "BASH_ENV", "ENV", "BASH_FUNC_*", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "PROMPT_COMMAND",
          "GIT_*", "NODE_OPTIONS", "NODE_PATH", "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB",
          "RUBYOPT", "RUBYLIB", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONINSPECT",
          "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH",
          "LESSOPEN", "LESSCLOSE", "PAGER", "MANPAGER", "EDITOR", "VISUAL", "BROWSER",
          "SSH_ASKPASS", "SUDO_ASKPASS", "CORTEX_*");

  private EnvRules() {}

  /** Why {@code name} can never be allowed, if so. */
  static Optional<String> neverAllowed(String name) {
    for (String rule : NEVER) {
      if (matches(rule, name)) {
        return Optional.of(
            name + " can make programs load or run code chosen by the caller (rule " + rule + ")");
      }
    }
    return Optional.empty();
  }

  /** Whether a variable name is well-formed. */
  static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Whether an allow-list entry is well-formed: a name, or a name prefix followed by {@code *}. */
  static boolean validEntry(String entry) {
    return ENTRY.matcher(entry).matches();
  }

  /** Whether an allow-list entry ({@code NAME} or {@code PREFIX*}) covers {@code name}. */
  static boolean matches(String entry, String name) {
    if (entry.endsWith("*")) {
      return name.startsWith(entry.substring(0, entry.length() - 1));
    }
    return entry.equals(name);
  }

  /** Why an allow-list entry is unusable, if so: malformed, or it would admit a forbidden name. */
  static Optional<String> badEntry(String entry) {
    if (!validEntry(entry)) {
      return Optional.of("'" + entry + "' is not a variable name (or NAME_PREFIX*)");
    }
    String probe = entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry;
    for (String rule : NEVER) {
      String fixed = rule.endsWith("*") ? rule.substring(0, rule.length() - 1) : rule;
      // Forbidden if the entry names a forbidden variable, or its prefix could reach one (LD* or L*).
      boolean hits =
          matches(rule, probe) || (entry.endsWith("*") && fixed.startsWith(probe));
      if (hits) {
        return Optional.of("'" + entry + "' would admit " + rule + ", which can make programs run code chosen by the caller");
      }
    }
    return Optional.empty();
  }
}
