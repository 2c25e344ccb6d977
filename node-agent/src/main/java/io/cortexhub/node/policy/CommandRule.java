package io.cortexhub.node.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One executable a task may run, and what its arguments may be.
 *
 * @param path the executable's real path (symbolic links resolved when the policy was loaded); an
 *     argv matches the rule only when its argv[0] resolves to exactly this file
 * @param subcommands if not empty, argv[1] must be one of these (e.g. {@code status}, {@code log})
 * @param forbiddenFlags arguments refused anywhere in argv: {@code --long} also matches {@code
 *     --long=value}; a one-letter {@code -x} also matches clusters like {@code -ax} and {@code -xVALUE}
 * @param argPattern if present, a regular expression every argument after argv[0] must match whole
 * @param maxArgs most arguments after argv[0]; 0 = the gate's own ceiling
 * @param interpreter the owner knows this program runs other programs or code given to it (a shell,
 *     {@code python3}, {@code env}, {@code find -exec}) and allows that; without it such programs
 *     and such arguments are refused
 */
public record CommandRule(
    Path path,
    List<String> subcommands,
    List<String> forbiddenFlags,
    Optional<String> argPattern,
    int maxArgs,
    boolean interpreter) {
  public CommandRule {
    Objects.requireNonNull(path, "path");
    subcommands = List.copyOf(subcommands);
    forbiddenFlags = List.copyOf(forbiddenFlags);
    Objects.requireNonNull(argPattern, "argPattern");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("command path must be absolute: " + path);
    }
    if (maxArgs < 0) {
      throw new IllegalArgumentException("maxArgs must not be negative");
    }
  }

  /** A rule that allows {@code path} with any arguments (interpreters still refused). */
  public static CommandRule any(Path path) {
    return new CommandRule(path, List.of(), List.of(), Optional.empty(), 0, false);
  }

  /** This rule, with the explicit permission to run an interpreter or launcher. */
  public CommandRule asInterpreter() {
    return new CommandRule(path, subcommands, forbiddenFlags, argPattern, maxArgs, true);
  }
}
