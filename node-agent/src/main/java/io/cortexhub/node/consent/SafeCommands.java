package io.cortexhub.node.consent;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The table behind {@link SafeCommandClassifier}: commands that only read, with the options under
 * which they stay read-only. Left out on purpose, because some option or script of theirs writes
 * or runs programs: {@code sed} ({@code w}, {@code e}, {@code -i}), {@code awk} ({@code system}),
 * {@code tee}, {@code file} ({@code -C}), {@code tree} ({@code -o}), {@code date} ({@code -s}),
 * {@code hostname}, {@code env}, {@code xargs}, every shell and interpreter. Also left out per
 * command: {@code sort -o/--output/-T/--compress-program}, a second {@code uniq} operand (the
 * output file), {@code git diff/log/show --output/--ext-diff/--textconv}.
 */
final class SafeCommands {
  private SafeCommands() {}

  /** Plain commands by name. {@code find} and {@code git} have their own grammar in the classifier. */
  static final Map<String, OptionRule> COMMANDS =
      index(
          OptionRule.of("ls").anyOption().build(),
          OptionRule.of("cat").flags("AbeEnstTuv")
              .longFlags("--show-all", "--number-nonblank", "--show-ends", "--number", "--squeeze-blank",
                  "--show-tabs", "--show-nonprinting")
              .build(),
          OptionRule.of("head").flags("qvz").valued("nc").numeric()
              .longFlags("--quiet", "--silent", "--verbose", "--zero-terminated")
              .longValued("--lines", "--bytes")
              .build(),
          OptionRule.of("tail").flags("fFqvz").valued("ncs").numeric()
              .longFlags("--retry", "--quiet", "--silent", "--verbose", "--zero-terminated")
              .longValued("--lines", "--bytes", "--sleep-interval", "--pid", "--max-unchanged-stats")
              .longOptional("--follow")
              .build(),
          OptionRule.of("wc").flags("clmwL")
              .longFlags("--bytes", "--chars", "--lines", "--words", "--max-line-length")
              .longValued("--files0-from", "--total")
              .build(),
          grep("grep"),
          grep("egrep"),
          grep("fgrep"),
          OptionRule.of("sort").flags("bdfgiMhnRrsuVcCmz").valued("ktS")
              .longFlags("--ignore-leading-blanks", "--dictionary-order", "--ignore-case", "--general-numeric-sort",
                  "--ignore-nonprinting", "--month-sort", "--human-numeric-sort", "--numeric-sort", "--random-sort",
                  "--reverse", "--version-sort", "--check", "--merge", "--stable", "--unique", "--zero-terminated")
              .longValued("--key", "--field-separator", "--buffer-size", "--sort", "--parallel")
              .build(),
          OptionRule.of("uniq").flags("cdDiuz").valued("fsw").maxOperands(1)
              .longFlags("--count", "--repeated", "--ignore-case", "--unique", "--zero-terminated")
              .longValued("--skip-fields", "--skip-chars", "--check-chars")
              .build(),
          OptionRule.of("diff").flags("qsuNaiEbwBTtpr").valued("UC")
              .longFlags("--brief", "--report-identical-files", "--recursive", "--new-file", "--text", "--ignore-case",
                  "--ignore-all-space", "--ignore-space-change", "--ignore-blank-lines", "--side-by-side",
                  "--ignore-tab-expansion", "--strip-trailing-cr", "--minimal", "--show-c-function")
              .longValued("--label", "--exclude", "--width")
              .longOptional("--unified", "--context", "--color")
              .build(),
          OptionRule.of("cmp").flags("bls").valued("in")
              .longFlags("--print-bytes", "--verbose", "--silent", "--quiet")
              .longValued("--ignore-initial", "--bytes")
              .build(),
          checksum("sha256sum"),
          checksum("sha1sum"),
          checksum("sha512sum"),
          checksum("md5sum"),
          OptionRule.of("stat").flags("Ltf").valued("c")
              .longFlags("--dereference", "--file-system", "--terse")
              .longValued("--format", "--printf")
              .build(),
          OptionRule.of("du").flags("achHkLlmPsSxb0").valued("dBt")
              .longFlags("--all", "--apparent-size", "--bytes", "--total", "--human-readable", "--summarize", "--si",
                  "--one-file-system", "--null", "--count-links", "--dereference")
              .longValued("--max-depth", "--block-size", "--threshold", "--exclude")
              .build(),
          OptionRule.of("df").flags("ahHiklPTv").valued("tBx")
              .longFlags("--all", "--human-readable", "--si", "--inodes", "--local", "--portability", "--print-type",
                  "--total")
              .longValued("--type", "--exclude-type", "--block-size")
              .build(),
          OptionRule.of("realpath").flags("eLmPqsz")
              .longFlags("--canonicalize-existing", "--logical", "--canonicalize-missing", "--physical", "--quiet",
                  "--strip", "--no-symlinks", "--zero")
              .longValued("--relative-to", "--relative-base")
              .build(),
          OptionRule.of("readlink").flags("efmnqsvz")
              .longFlags("--canonicalize", "--canonicalize-existing", "--canonicalize-missing", "--no-newline",
                  "--quiet", "--silent", "--verbose", "--zero")
              .build(),
          OptionRule.of("pwd").flags("LP").maxOperands(0).build(),
          OptionRule.of("echo").anyOption().operandsAreText().build(),
          OptionRule.of("true").anyOption().operandsAreText().build(),
          OptionRule.of("false").anyOption().operandsAreText().build(),
          OptionRule.of("basename").flags("az").valued("s").operandsAreText()
              .longFlags("--multiple", "--zero").longValued("--suffix").build(),
          OptionRule.of("dirname").flags("z").operandsAreText().longFlags("--zero").build(),
          OptionRule.of("whoami").maxOperands(0).build(),
          OptionRule.of("id").flags("gGnruz").maxOperands(1).operandsAreText()
              .longFlags("--group", "--groups", "--name", "--real", "--user", "--zero")
              .build(),
          OptionRule.of("uname").flags("asnrvmpio").maxOperands(0)
              .longFlags("--all", "--kernel-name", "--nodename", "--kernel-release", "--kernel-version", "--machine",
                  "--processor", "--hardware-platform", "--operating-system")
              .build());

  /** {@code git <sub>} for the read-only subcommands. */
  static final Map<String, OptionRule> GIT =
      index(
          OptionRule.of("status").flags("sbvz").attached("u")
              .longFlags("--short", "--branch", "--long", "--verbose", "--no-renames", "--renames", "--no-column",
                  "--ahead-behind", "--no-ahead-behind", "--show-stash", "--null")
              .longOptional("--porcelain", "--untracked-files", "--ignored", "--ignore-submodules", "--find-renames",
                  "--column")
              .build(),
          gitDiffFamily("log"),
          gitDiffFamily("show"),
          gitDiffFamily("diff"));

  private static OptionRule grep(String name) {
    return OptionRule.of(name).flags("EFGPiyvwxcLloqsbHhnTZzaIrRU").valued("efmABCdD")
        .longFlags("--extended-regexp", "--fixed-strings", "--basic-regexp", "--perl-regexp", "--ignore-case",
            "--no-ignore-case", "--invert-match", "--word-regexp", "--line-regexp", "--count",
            "--files-without-match", "--files-with-matches", "--only-matching", "--quiet", "--silent", "--no-messages",
            "--byte-offset", "--with-filename", "--no-filename", "--line-number", "--initial-tab", "--null",
            "--null-data", "--text", "--recursive", "--dereference-recursive", "--binary")
        .longValued("--regexp", "--file", "--max-count", "--after-context", "--before-context", "--context",
            "--include", "--exclude", "--exclude-dir", "--exclude-from", "--label", "--directories", "--devices",
            "--binary-files")
        .longOptional("--color", "--colour")
        .build();
  }

  private static OptionRule checksum(String name) {
    return OptionRule.of(name).flags("bctwz")
        .longFlags("--binary", "--check", "--tag", "--text", "--ignore-missing", "--quiet", "--status", "--strict",
            "--warn", "--zero")
        .build();
  }

  private static OptionRule gitDiffFamily(String name) {
    return OptionRule.of(name).flags("pusimwbRzcqaWtEFPr").valued("nSG").attached("MCBUDl").numeric()
        .longFlags("--patch", "--no-patch", "--numstat", "--shortstat", "--name-only", "--name-status", "--oneline",
            "--graph", "--no-decorate", "--abbrev-commit", "--no-abbrev-commit", "--all", "--reverse", "--first-parent",
            "--merges", "--no-merges", "--follow", "--cached", "--staged", "--no-color", "--ignore-all-space",
            "--ignore-space-change", "--ignore-blank-lines", "--no-ext-diff", "--no-textconv", "--minimal",
            "--patience", "--histogram", "--raw", "--summary", "--exit-code", "--quiet", "--full-index", "--binary",
            "--no-prefix", "--regexp-ignore-case", "--no-renames", "--topo-order", "--date-order", "--no-walk",
            "--full-history", "--simplify-merges", "--ancestry-path", "--left-right", "--cherry-pick", "--boundary",
            "--no-notes", "--show-signature", "--name-rev", "--cc", "--combined-all-paths", "--text", "--check",
            "--full-diff", "--log-size", "--parents", "--children", "--relative-date", "--use-mailmap",
            "--no-use-mailmap", "--invert-grep", "--all-match", "--fixed-strings", "--extended-regexp",
            "--basic-regexp", "--perl-regexp")
        .longValued("--format", "--pretty", "--since", "--after", "--until", "--before", "--author", "--committer",
            "--grep", "--max-count", "--skip", "--unified", "--src-prefix", "--dst-prefix", "--diff-filter",
            "--max-parents", "--min-parents", "--encoding", "--date", "--word-diff-regex", "--stat-width",
            "--stat-name-width", "--stat-count", "--inter-hunk-context", "--diff-algorithm", "--abbrev")
        .longOptional("--stat", "--decorate", "--branches", "--tags", "--remotes", "--color", "--word-diff",
            "--relative", "--find-renames", "--find-copies", "--dirstat", "--color-moved", "--ignore-submodules",
            "--submodule", "--notes", "--show-notes", "--color-words")
        .build();
  }

  private static Map<String, OptionRule> index(OptionRule... rules) {
    return Stream.of(rules).collect(Collectors.toUnmodifiableMap(OptionRule::name, Function.identity()));
  }

  /** {@code find} tests and actions that only read, with how many arguments each takes. */
  static final Map<String, Integer> FIND_PREDICATES =
      Map.ofEntries(
          Map.entry("-print", 0), Map.entry("-print0", 0), Map.entry("-ls", 0), Map.entry("-empty", 0),
          Map.entry("-readable", 0), Map.entry("-writable", 0), Map.entry("-executable", 0), Map.entry("-true", 0),
          Map.entry("-false", 0), Map.entry("-prune", 0), Map.entry("-quit", 0), Map.entry("-depth", 0),
          Map.entry("-xdev", 0), Map.entry("-mount", 0), Map.entry("-nouser", 0), Map.entry("-nogroup", 0),
          Map.entry("-not", 0), Map.entry("!", 0), Map.entry("(", 0), Map.entry(")", 0), Map.entry("-a", 0),
          Map.entry("-and", 0), Map.entry("-o", 0), Map.entry("-or", 0), Map.entry(",", 0), Map.entry("-daystart", 0),
          Map.entry("-follow", 0), Map.entry("-noleaf", 0), Map.entry("-ignore_readdir_race", 0),
          Map.entry("-name", 1), Map.entry("-iname", 1), Map.entry("-path", 1), Map.entry("-ipath", 1),
          Map.entry("-wholename", 1), Map.entry("-iwholename", 1), Map.entry("-regex", 1), Map.entry("-iregex", 1),
          Map.entry("-regextype", 1), Map.entry("-type", 1), Map.entry("-xtype", 1), Map.entry("-maxdepth", 1),
          Map.entry("-mindepth", 1), Map.entry("-size", 1), Map.entry("-mtime", 1), Map.entry("-mmin", 1),
          Map.entry("-atime", 1), Map.entry("-amin", 1), Map.entry("-ctime", 1), Map.entry("-cmin", 1),
          Map.entry("-used", 1), Map.entry("-newer", 1), Map.entry("-anewer", 1), Map.entry("-cnewer", 1),
          Map.entry("-samefile", 1), Map.entry("-perm", 1), Map.entry("-user", 1), Map.entry("-group", 1),
          Map.entry("-uid", 1), Map.entry("-gid", 1), Map.entry("-links", 1), Map.entry("-inum", 1),
          Map.entry("-lname", 1), Map.entry("-ilname", 1), Map.entry("-fstype", 1), Map.entry("-printf", 1));

  /** {@code find} predicates whose argument names a file (checked like an operand). */
  static final Set<String> FIND_PATH_ARGUMENTS = Set.of("-newer", "-anewer", "-cnewer", "-samefile");

  /** Where a command named by absolute path may live and still be recognised. */
  static final Set<String> TRUSTED_BIN_DIRS = Set.of("/bin", "/usr/bin", "/usr/local/bin");
}
