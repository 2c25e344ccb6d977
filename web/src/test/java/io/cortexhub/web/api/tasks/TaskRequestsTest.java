package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.hub.dispatch.InvalidTaskRequestException;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.web.api.problem.InvalidRequestException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskRequestsTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void shellBody_becomesAShellRequestWithEveryField() {
    var body = new SubmitTaskJson("shell", null, List.of("sh", "-c", "echo hi"),
        Map.of("A", "1"), "/tmp", null, 30, "key-1", "n-1", null, null);

    TaskRequest request = TaskRequests.from(body, null, TRACEPARENT, "alice");

    assertThat(request.kind()).isEqualTo(TaskKind.SHELL);
    assertThat(request.argv()).containsExactly("sh", "-c", "echo hi");
    assertThat(request.env()).containsEntry("A", "1");
    assertThat(request.workingDir()).isEqualTo("/tmp");
    assertThat(request.timeout()).contains(Duration.ofSeconds(30));
    assertThat(request.idempotencyKey()).contains("key-1");
    assertThat(request.targetNode()).contains(new NodeId("n-1"));
    assertThat(request.selector()).isEmpty();
    assertThat(request.requestedBy()).isEqualTo("alice");
    assertThat(request.traceparent()).contains(TRACEPARENT);
  }

  @Test
  void echoBody_routedBySelector_becomesAnEchoRequest() {
    var body = new SubmitTaskJson("ECHO", "hello", null, null, null, null, null, null, null,
        Map.of("zone", "a"), null);

    TaskRequest request = TaskRequests.from(body, null, null, "anonymous");

    assertThat(request.kind()).isEqualTo(TaskKind.ECHO);
    assertThat(request.echoMessage()).isEqualTo("hello");
    assertThat(request.selector()).containsExactly(Map.entry("zone", "a"));
    assertThat(request.targetNode()).isEmpty();
    assertThat(request.timeout()).isEmpty();
    assertThat(request.traceparent()).isEmpty();
  }

  private static SubmitTaskJson fsBody(FsOperationJson fs) {
    return new SubmitTaskJson("fs", null, null, null, null, fs, null, null, null, null, null);
  }

  private static FsOperationJson fsOp(String op, String path) {
    return new FsOperationJson(op, path, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void fsBody_becomesAnFsRequestCarryingItsOperation() {
    var write = new FsOperationJson("Write", "notes/a.txt", null, "héllo", null, true, "AB".repeat(32), null, null,
        null, null, null, null);

    TaskRequest request = TaskRequests.from(fsBody(write), null, null, "alice");

    assertThat(request.kind()).isEqualTo(TaskKind.FS);
    FsOperation op = request.fs().orElseThrow();
    assertThat(op.op()).isEqualTo("write");
    assertThat(op.payload().getWrite().getData().toStringUtf8()).isEqualTo("héllo");
    assertThat(op.payload().getWrite().getCreateParents()).isTrue();
    assertThat(op.payload().getWrite().getExpectedSha256()).isEqualTo("ab".repeat(32));
  }

  @Test
  void fsBody_withBinaryData_andEachOtherOperation_mapsField_byField() {
    byte[] binary = {0, (byte) 0xff, 10, 13};
    var append = new FsOperationJson("append", "a.bin", null, null, Base64.getEncoder().encodeToString(binary), null,
        null, null, null, null, null, null, null);
    var read = new FsOperationJson("read", "a.bin", null, null, null, null, null, 2L, 1L, null, null, null, null);
    var move = new FsOperationJson("move", "a.bin", "b.bin", null, null, null, null, null, null, null, null, null,
        true);
    var patch = new FsOperationJson("patch", "a.txt", null, null, null, null, null, null, null, "--- a\n", null,
        null, null);

    assertThat(TaskRequests.from(fsBody(append), null, null, "a").fs().orElseThrow().payload().getAppend()
        .getData().toByteArray()).isEqualTo(binary);
    assertThat(TaskRequests.from(fsBody(read), null, null, "a").fs().orElseThrow().payload().getRead())
        .satisfies(r -> assertThat(List.of(r.getOffset(), r.getLength())).containsExactly(2L, 1L));
    assertThat(TaskRequests.from(fsBody(move), null, null, "a").fs().orElseThrow())
        .satisfies(m -> assertThat(List.of(m.path(), m.target())).containsExactly("a.bin", "b.bin"))
        .satisfies(m -> assertThat(m.payload().getMove().getReplace()).isTrue());
    assertThat(TaskRequests.from(fsBody(patch), null, null, "a").fs().orElseThrow().payload().getPatch()
        .getUnifiedDiff()).isEqualTo("--- a\n");
    for (String op : List.of("list", "stat", "mkdir", "delete")) {
      assertThat(TaskRequests.from(fsBody(fsOp(op, "d")), null, null, "a").fs().orElseThrow().op()).isEqualTo(op);
    }
  }

  @Test
  void fsFieldsTheOperationDoesNotUse_areRefused_allNamed() {
    var read = new FsOperationJson("read", "a", "b", "text", null, null, null, null, null, null, true, null, null);

    assertThatThrownBy(() -> TaskRequests.from(fsBody(read), null, null, "a"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("fs.to, fs.text, fs.recursive are not used by read; leave them out");
  }

  @Test
  void badFsBodies_areRefusedWithTheFieldNamed() {
    var both = new FsOperationJson("write", "a", null, "x", "eA==", null, null, null, null, null, null, null, null);
    var badBase64 = new FsOperationJson("write", "a", null, null, "not base64!", null, null, null, null, null, null,
        null, null);
    var negative = new FsOperationJson("read", "a", null, null, null, null, null, -1L, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(fsBody(both), null, null, "a")).hasMessageContaining("either text or");
    assertThatThrownBy(() -> TaskRequests.from(fsBody(badBase64), null, null, "a"))
        .hasMessageContaining("fs.dataBase64 is not valid base64");
    assertThatThrownBy(() -> TaskRequests.from(fsBody(negative), null, null, "a"))
        .hasMessage("fs.offset must not be negative");
    assertThatThrownBy(() -> TaskRequests.from(fsBody(fsOp("chmod", "a")), null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("fs.op must be one of");
    assertThatThrownBy(() -> TaskRequests.from(fsBody(fsOp("stat", "")), null, null, "a"))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessage("fs.path: required for stat");
  }

  @Test
  void fsKindWithoutAnOperation_andAnOperationOnAnotherKind_areRefused() {
    assertThatThrownBy(() -> TaskRequests.from(fsBody(null), null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("fs tasks need an fs member");
    var shellWithFs = new SubmitTaskJson("shell", null, List.of("ls"), null, null, fsOp("stat", "a"), null, null,
        null, null, null);
    assertThatThrownBy(() -> TaskRequests.from(shellWithFs, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessage("fs is not used by shell tasks; leave it out");
    var fsWithArgv = new SubmitTaskJson("fs", null, List.of("ls"), null, null, fsOp("stat", "a"), null, null, null,
        null, null);
    assertThatThrownBy(() -> TaskRequests.from(fsWithArgv, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessage("argv is not used by fs tasks; leave it out");
  }

  @Test
  void unknownKind_isRejectedListingTheKnownKinds() {
    var body = new SubmitTaskJson("browser", null, null, null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("echo, shell").hasMessageContaining("browser");
  }

  @Test
  void argvOnAnEchoTask_isRejected() {
    var body = new SubmitTaskJson("echo", "hi", List.of("ls"), null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("argv");
  }

  @Test
  void messageOnAShellTask_isRejected() {
    var body = new SubmitTaskJson("shell", "hi", List.of("ls"), null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("message");
  }

  @Test
  void nodeAndSelectorTogether_areRejectedAsAmbiguous() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, "n-1",
        Map.of("zone", "a"), null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not both");
  }

  @Test
  void blankNode_isRejected() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, "  ", null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, null, null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("node id");
  }

  @Test
  void idempotencyKey_mayComeFromTheHeader() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, null, null, null);

    assertThat(TaskRequests.from(body, "key-h", null, "a").idempotencyKey()).contains("key-h");
  }

  @Test
  void differentKeysInHeaderAndBody_areRejected() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, "key-b", null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, "key-h", null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("differ");
  }

  @Test
  void sameKeyInHeaderAndBody_isAccepted() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, "k", null, null, null);

    assertThat(TaskRequests.from(body, "k", null, "a").idempotencyKey()).contains("k");
  }

  @Test
  void overlongHeaderKey_isRejected() {
    var body = new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> TaskRequests.from(body, "k".repeat(201), null, "a"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Idempotency-Key");
  }

  @Test
  void invalidTraceparent_isIgnoredSoTheHubStartsANewTrace() {
    assertThat(TaskRequests.traceparent("garbage")).isEmpty();
    assertThat(TaskRequests.traceparent(
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TaskRequests.traceparent(TRACEPARENT.toUpperCase())).isEqualTo(
        Optional.of(TRACEPARENT));
  }
}
