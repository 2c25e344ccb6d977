package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.output.OutputRecord;
import io.cortexhub.hub.output.OutputStreamKind;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.web.api.nodes.NodeJson;
import io.cortexhub.web.testing.Views;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON the API reads and writes, bound by JSON-B (Yasson, as in Payara). */
class JsonShapesTest {

  private static Jsonb jsonb;

  @BeforeAll
  static void jsonb() {
    jsonb = JsonbBuilder.create();
  }

  @AfterAll
  static void close() throws Exception {
    jsonb.close();
  }

  @Test
  void submitBody_bindsIntoTheRecord() {
    SubmitTaskJson body = jsonb.fromJson("""
        {"kind":"shell","argv":["ls","-l"],"env":{"A":"1"},"workingDir":"/tmp",
         "timeoutSeconds":5,"idempotencyKey":"k","selector":{"zone":"a"},"unknown":true}""",
        SubmitTaskJson.class);

    assertThat(body).isEqualTo(new SubmitTaskJson("shell", null, List.of("ls", "-l"),
        java.util.Map.of("A", "1"), "/tmp", null, 5, "k", null, java.util.Map.of("zone", "a"), null));
  }

  @Test
  void task_isWrittenWithLowerCaseKindIsoTimesAndNoNulls() {
    JsonObject json = parse(jsonb.toJson(
        TaskJson.of(Views.task("t-1", TaskState.RUNNING))));

    assertThat(json.getString("id")).isEqualTo("t-1");
    assertThat(json.getString("kind")).isEqualTo("shell");
    assertThat(json.getString("state")).isEqualTo("RUNNING");
    assertThat(json.getBoolean("finished")).isFalse();
    assertThat(json.getString("node")).isEqualTo("n-1");
    assertThat(json.getString("createdAt")).isEqualTo("2025-11-25T10:00:00Z");
    assertThat(json.containsKey("exitCode")).isFalse();
    assertThat(json.containsKey("finishedAt")).isFalse();
    assertThat(json.containsKey("detail")).isFalse();
  }

  @Test
  void fsSubmitBody_bindsItsOperation() {
    SubmitTaskJson body = jsonb.fromJson("""
        {"kind":"fs","fs":{"op":"write","path":"notes/a.txt","text":"hi","createParents":true}}""",
        SubmitTaskJson.class);

    assertThat(body.fs()).isEqualTo(new FsOperationJson("write", "notes/a.txt", null, "hi", null, true, null, null,
        null, null, null, null, null));
  }

  @Test
  void fsTask_showsItsOperationAndPaths_butNeverItsData() {
    FsOperation move = FsOperation.move("a.txt", "b.txt", false);
    FsOperation write = FsOperation.write("secret.txt", "top secret".getBytes(StandardCharsets.UTF_8), false, "");

    JsonObject moved = parse(jsonb.toJson(TaskJson.of(Views.fsTask("t-1", move))));
    String written = jsonb.toJson(TaskJson.of(Views.fsTask("t-2", write)));

    assertThat(moved.getString("kind")).isEqualTo("fs");
    assertThat(moved.getJsonObject("fs").getString("op")).isEqualTo("move");
    assertThat(moved.getJsonObject("fs").getString("path")).isEqualTo("a.txt");
    assertThat(moved.getJsonObject("fs").getString("to")).isEqualTo("b.txt");
    assertThat(parse(written).getJsonObject("fs").containsKey("to")).isFalse();
    assertThat(written).contains("secret.txt").doesNotContain("top secret")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString("top secret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void finishedTask_carriesItsExitCode() {
    JsonObject json = parse(jsonb.toJson(TaskJson.of(Views.task("t-1", TaskState.SUCCEEDED))));

    assertThat(json.getInt("exitCode")).isZero();
    assertThat(json.getBoolean("finished")).isTrue();
  }

  @Test
  void node_isWrittenWithManifestLabelsAndLastHeartbeat() {
    JsonObject json = parse(jsonb.toJson(NodeJson.of(Views.node("n-1", "alpha", NodeState.ONLINE))));

    assertThat(json.getString("name")).isEqualTo("alpha");
    assertThat(json.getString("state")).isEqualTo("ONLINE");
    assertThat(json.getJsonObject("labels").getString("zone")).isEqualTo("a");
    assertThat(json.getJsonArray("capabilities").getString(1)).isEqualTo("shell");
    assertThat(json.getJsonObject("manifest").getString("osName")).isEqualTo("Linux");
    assertThat(json.getString("lastHeartbeatAt")).isEqualTo("2025-11-25T10:00:05Z");
  }

  @Test
  void textChunk_isUtf8AndBinaryChunk_isBase64() {
    TaskId task = new TaskId("t-1");
    var text = new OutputRecord(task, 1, OutputStreamKind.STDERR,
        "grüß\n".getBytes(StandardCharsets.UTF_8), Views.T0);
    var binary = new OutputRecord(task, 2, OutputStreamKind.BINARY, new byte[] {1, 2, 3},
        Views.T0);

    assertThat(OutputChunkJson.of(text)).isEqualTo(
        new OutputChunkJson(1, "stderr", "grüß\n", "utf-8", Views.T0));
    assertThat(OutputChunkJson.of(binary)).isEqualTo(
        new OutputChunkJson(2, "binary", "AQID", "base64", Views.T0));
  }

  private static JsonObject parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }

  @Test
  void submitBodyConstructorParameters_carryNoConstraints_whichPayaraOpenApiCannotScan() {
    for (var constructor : SubmitTaskJson.class.getDeclaredConstructors()) {
      for (var parameter : constructor.getParameters()) {
        assertThat(parameter.getAnnotations()).as(parameter.getName()).isEmpty();
      }
    }
  }
}
