package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesNestedValues_inInsertionOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "x");
    m.put("n", 42L);
    m.put("b", true);
    m.put("none", null);
    m.put("empty", Optional.empty());
    m.put("some", Optional.of("y"));
    m.put("list", List.of(1, "two", List.of()));
    m.put("map", Map.of());
    assertThat(Json.write(m))
        .isEqualTo("{\"s\":\"x\",\"n\":42,\"b\":true,\"none\":null,\"empty\":null,\"some\":\"y\","
            + "\"list\":[1,\"two\",[]],\"map\":{}}");
  }

  @Test
  void escapesWhatJsonRequires_andLineSeparatorsForJavaScript() {
    assertThat(Json.write("a\"b\\c\nd\re\tf\u0001g\u2028h/é"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h/é\"");
    assertThat(Json.write(Map.of("k\"ey", "v"))).isEqualTo("{\"k\\\"ey\":\"v\"}");
  }

  @Test
  void refusesWhatJsonCannotHold() {
    assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write java.lang.Object");
  }
}
