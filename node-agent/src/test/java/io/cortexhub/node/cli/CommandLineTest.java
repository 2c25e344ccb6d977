package io.cortexhub.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Argument handling of {@code cortex-node}: bad input exits 2 with one clear line on stderr. */
class CommandLineTest {
  private static final String FP = "sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static void assertUsageError(Result r, String fragment) {
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip()).doesNotContain("\n").contains(fragment).startsWith("cortex-node");
  }

  @Test
  void version_printsTheAgentVersion() {
    Result r = run("version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("cortex-node ").contains("cortex.node.v1");
  }

  @Test
  void noCommand_isAUsageError() {
    assertUsageError(run(), "missing command");
  }

  @Test
  void unknownOption_isAUsageError() {
    assertUsageError(run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--bogus"), "--bogus");
  }

  @Test
  void missingHub_isAUsageError() {
    assertUsageError(run("run", "--name", "n1", "--ca-fingerprint", FP), "--hub");
  }

  @Test
  void runWithoutCredentials_orAJoinToken_isAUsageError_namingEnroll() {
    Result r = run("run", "--hub", "localhost:9443", "--name", "n1", "--state-dir", dir.resolve("state").toString());
    assertUsageError(r, "no credentials in " + dir.resolve("state"));
    assertThat(r.err()).contains("cortex-node enroll").contains("--join-token");
    assertThat(dir.resolve("state")).doesNotExist(); // nothing created on a usage error
  }

  @Test
  void joinTokenWithoutTrust_isAUsageError() {
    assertUsageError(
        run("run", "--hub", "localhost:9443", "--join-token", "t", "--state-dir", dir.resolve("s").toString()),
        "--ca-fingerprint");
  }

  @Test
  void enroll_needsHubTrustAndToken() {
    String sd = dir.resolve("s").toString();
    assertUsageError(run("enroll", "--token", "t", "--ca-fingerprint", FP, "--state-dir", sd), "--hub");
    assertUsageError(run("enroll", "--hub", "h:1", "--token", "t", "--state-dir", sd), "--ca-fingerprint");
    assertUsageError(run("enroll", "--hub", "h:1", "--ca-fingerprint", FP, "--token", " ", "--state-dir", sd), "--token");
    assertUsageError(
        run("enroll", "--hub", "h:1", "--ca-fingerprint", FP, "--token", "t", "--name", "no spaces", "--state-dir", sd),
        "node name");
  }

  @Test
  void bothTrustOptions_areAUsageError() {
    assertUsageError(
        run("run", "--hub", "localhost:9443", "--name", "n1", "--ca-file", "x.pem", "--ca-fingerprint", FP),
        "mutually exclusive");
  }

  @Test
  void malformedHubAddress_isAUsageError() {
    assertUsageError(run("run", "--hub", "localhost", "--name", "n1", "--ca-fingerprint", FP), "HOST:PORT");
    assertUsageError(run("run", "--hub", "localhost:99999", "--name", "n1", "--ca-fingerprint", FP), "port");
  }

  @Test
  void malformedFingerprint_isAUsageError() {
    assertUsageError(run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", "sha1:00"), "--ca-fingerprint");
  }

  @Test
  void missingCaFile_isAUsageError() {
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-file", dir.resolve("nope.pem").toString()), "does not exist");
  }

  @Test
  void badNodeName_labels_orMaxTasks_areUsageErrors() {
    String wd = dir.toString();
    assertUsageError(run("run", "--hub", "h:1", "--name", "bad name", "--ca-fingerprint", FP, "--work-dir", wd), "node name");
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--labels", "zone", "--work-dir", wd), "k=v");
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--max-tasks", "0", "--work-dir", wd), "max tasks");
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--max-tasks", "many"), "--max-tasks");
  }

  @Test
  void simulate_validatesItsNumbers() {
    assertUsageError(run("simulate", "--hub", "h:1", "--count", "0", "--ca-fingerprint", FP), "--count");
    assertUsageError(run("simulate", "--hub", "h:1", "--count", "10", "--enroll-concurrency", "0"), "--enroll-concurrency");
    assertUsageError(run("simulate", "--count", "10"), "--hub");
    assertUsageError(run("simulate", "--hub", "h:1", "--count", "10", "--join-token", "t"), "--ca-fingerprint");
  }

  @Test
  void labels_parseIntoAnOrderedMap() {
    assertThat(RunCommand.parseLabels("zone=eu, gpu=no")).containsExactly(
        java.util.Map.entry("zone", "eu"), java.util.Map.entry("gpu", "no"));
    assertThat(RunCommand.parseLabels("")).isEmpty();
  }

  private static RunCommand parsedRun(String... extra) {
    CommandLine cl = Main.commandLine();
    String[] base = {"run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    cl.parseArgs(args);
    return cl.getSubcommands().get("run").getCommand();
  }

  @Test
  void maxSpoolBytes_defaultsToOneGibibyte_andAcceptsBinarySuffixes() {
    assertThat(parsedRun().maxSpoolBytes).isEqualTo(1L << 30);
    assertThat(parsedRun("--max-spool-bytes", "512M").maxSpoolBytes).isEqualTo(512L << 20);
    assertThat(parsedRun("--max-spool-bytes", "2G").maxSpoolBytes).isEqualTo(2L << 30);
    assertThat(parsedRun("--max-spool-bytes", "0").maxSpoolBytes).isZero();
    assertThat(ByteSize.parse("1048576")).isEqualTo(1L << 20);
    assertThat(ByteSize.parse("64k")).isEqualTo(64L << 10);
    assertThat(ByteSize.parse("64KiB")).isEqualTo(64L << 10);
    assertThat(ByteSize.parse("3gb")).isEqualTo(3L << 30);
    assertThat(ByteSize.parse("1T")).isEqualTo(1L << 40);
    assertThat(ByteSize.parse("100B")).isEqualTo(100);
    assertThat(ByteSize.parse(" 8M ")).isEqualTo(8L << 20);
  }

  @Test
  void badMaxSpoolBytes_isAUsageError() {
    for (String bad : java.util.List.of("lots", "1.5G", "12X", "G", "", "-1", "-1G", "9999999T", "99999999999999999999")) {
      Result r = run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--max-spool-bytes", bad);
      assertUsageError(r, "--max-spool-bytes");
    }
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--max-spool-bytes", "-5M"), "negative");
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--max-spool-bytes", "9999999T"), "too large");
    assertUsageError(
        run("run", "--hub", "h:1", "--name", "n1", "--ca-fingerprint", FP, "--max-spool-bytes", "half"), "512M or 2G");
  }
}
