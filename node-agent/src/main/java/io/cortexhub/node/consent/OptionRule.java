package io.cortexhub.node.consent;

import java.util.Set;

/**
 * The options and operands one read-only command accepts without changing anything: an allow-list,
 * so an option nobody listed (including a GNU-style abbreviation such as {@code sort --out=F} for
 * {@code --output}) makes the command unsafe.
 *
 * @param name the command (or {@code git <sub>})
 * @param flags short options without a value, e.g. {@code "lah"}
 * @param valued short options taking a value, attached ({@code -n5}) or next ({@code -n 5})
 * @param attached short options whose optional value can only be attached ({@code -M50%})
 * @param longFlags long options without a value
 * @param longValued long options taking a value ({@code --x=v} or {@code --x v})
 * @param longOptional long options with an optional {@code =value}
 * @param anyOption every option is harmless (e.g. {@code ls}); values are not checked
 * @param numericShort {@code -5} means "5 lines/entries"
 * @param maxOperands most operands allowed, -1 for any (e.g. {@code uniq IN OUT} writes OUT)
 * @param operandsArePaths operands must stay inside the workspace (not for {@code echo})
 */
record OptionRule(
    String name,
    String flags,
    String valued,
    String attached,
    Set<String> longFlags,
    Set<String> longValued,
    Set<String> longOptional,
    boolean anyOption,
    boolean numericShort,
    int maxOperands,
    boolean operandsArePaths) {

  static Builder of(String name) {
    return new Builder(name);
  }

  /** Fluent construction for the rule table. */
  static final class Builder {
    private final String name;
    private String flags = "";
    private String valued = "";
    private String attached = "";
    private Set<String> longFlags = Set.of();
    private Set<String> longValued = Set.of();
    private Set<String> longOptional = Set.of();
    private boolean anyOption;
    private boolean numericShort;
    private int maxOperands = -1;
    private boolean operandsArePaths = true;

    private Builder(String name) {
      this.name = name;
    }

    Builder flags(String f) {
      flags = f;
      return this;
    }

    Builder valued(String v) {
      valued = v;
      return this;
    }

    Builder attached(String a) {
      attached = a;
      return this;
    }

    Builder longFlags(String... l) {
      longFlags = Set.of(l);
      return this;
    }

    Builder longValued(String... l) {
      longValued = Set.of(l);
      return this;
    }

    Builder longOptional(String... l) {
      longOptional = Set.of(l);
      return this;
    }

    Builder anyOption() {
      anyOption = true;
      return this;
    }

    Builder numeric() {
      numericShort = true;
      return this;
    }

    Builder maxOperands(int n) {
      maxOperands = n;
      return this;
    }

    Builder operandsAreText() {
      operandsArePaths = false;
      return this;
    }

    OptionRule build() {
      return new OptionRule(name, flags, valued, attached, longFlags, longValued, longOptional, anyOption,
          numericShort, maxOperands, operandsArePaths);
    }
  }
}
