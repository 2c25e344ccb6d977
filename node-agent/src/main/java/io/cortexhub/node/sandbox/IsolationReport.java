package io.cortexhub.node.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link IsolationProbe} found: the best isolation level this machine can enforce, the tools
 * that work (by absolute path), how quotas are enforced, and notes on what is missing and why.
 *
 * @param level the best level every task gets; the manifest reports {@code level.wireName()}
 * @param root whether the agent runs as root (then tasks drop to the policy's run-as user)
 * @param tools the primitives that passed a trial run, with the executable used
 * @param quotas the quota mechanism the {@link QuotaController} should use
 * @param notes human-readable findings ("bwrap: not installed", "pretending setpriv is absent")
 */
public record IsolationReport(
    IsolationLevel level, boolean root, Map<Primitive, Path> tools, QuotaMechanism quotas, List<String> notes) {
  public IsolationReport {
    Objects.requireNonNull(level, "level");
    tools = Map.copyOf(tools);
    Objects.requireNonNull(quotas, "quotas");
    notes = List.copyOf(notes);
  }

  /** The executable of a primitive that works here, if any. */
  public Optional<Path> tool(Primitive p) {
    return Optional.ofNullable(tools.get(p));
  }

  /** A report for a machine that offers nothing (tests, non-Linux systems). */
  public static IsolationReport none(boolean root, String why) {
    return new IsolationReport(IsolationLevel.NONE, root, Map.of(), QuotaMechanism.NONE, List.of(why));
  }

  /** One line for the start-up log. */
  public String describe() {
    return "isolation " + level.wireName() + ", quotas " + quotas.wireName() + (root ? ", agent is root" : "")
        + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
  }
}
