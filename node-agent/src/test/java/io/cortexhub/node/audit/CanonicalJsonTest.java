package io.cortexhub.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical encoding is unambiguous: one text per value, and the reader refuses what it cannot round-trip. */
class CanonicalJsonTest {

  @Test
  void objects_areWrittenWithSortedKeysAndNoWhitespace() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zeta", 1);
    m.put("alpha", List.of("x", true, -5L));
    m.put("Beta", Map.of("k", false));
    assertThat(CanonicalJson.write(m)).isEqualTo("{\"Beta\":{\"k\":false},\"alpha\":[\"x\",true,-5],\"zeta\":1}");
  }

  @Test
  void strings_escapeOnlyWhatJsonRequires() {
    String s = "q\" b\\ \b\t\n\f\r \u0001\u001f \u007f é € 😀 /";
    assertThat(CanonicalJson.write(s))
        .isEqualTo("\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001f \u007f é € 😀 /\"");
    assertThat(CanonicalJson.parse(CanonicalJson.write(s))).isEqualTo(s);
  }

  @Test
  void integers_areWrittenPlainAcrossTheLongRange() {
    assertThat(CanonicalJson.write(List.of(0, -1, Long.MAX_VALUE, Long.MIN_VALUE, (short) 7, (byte) -8)))
        .isEqualTo("[0,-1,9223372036854775807,-9223372036854775808,7,-8]");
  }

  @Test
  void unsupportedValues_areRefusedByTheWriter() {
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("d", 1.5))).hasMessageContaining("java.lang.Double");
    assertThatThrownBy(() -> CanonicalJson.write(java.util.Collections.singletonMap("n", null))).hasMessageContaining("null");
    assertThatThrownBy(() -> CanonicalJson.write(Map.of(1, "x"))).hasMessageContaining("keys must be strings");
    assertThatThrownBy(() -> CanonicalJson.write(java.time.Instant.EPOCH)).hasMessageContaining("Instant");
    assertThatThrownBy(() -> CanonicalJson.write("bad \ud800 half")).hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> CanonicalJson.write("\udc00")).hasMessageContaining("unpaired surrogate");
  }

  @Test
  void nesting_isBounded() {
    Object deep = "x";
    for (int i = 0; i < CanonicalJson.MAX_DEPTH + 1; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertThatThrownBy(() -> CanonicalJson.write(tooDeep)).hasMessageContaining("deeper");
    assertThatThrownBy(() -> CanonicalJson.parse("[".repeat(40) + "]".repeat(40))).hasMessageContaining("deeper");
  }

  @Test
  void reader_acceptsWhitespaceAndEscapes_butOnlyCanonicalTextIsCanonical() {
    assertThat(CanonicalJson.parse(" { \"b\" : [ 1 , \"\\u0041\\/\" ] , \"a\" : true } "))
        .isEqualTo(Map.of("b", List.of(1L, "A/"), "a", true));
    assertThat(CanonicalJson.isCanonical("{\"a\":true,\"b\":[1,\"A/\"]}")).isTrue();
    assertThat(CanonicalJson.isCanonical("{\"b\":[1],\"a\":true}")).as("unsorted keys").isFalse();
    assertThat(CanonicalJson.isCanonical("{\"a\": true}")).as("whitespace").isFalse();
    assertThat(CanonicalJson.isCanonical("\"\\u0041\"")).as("needless escape").isFalse();
    assertThat(CanonicalJson.isCanonical("\"\\/\"")).as("escaped slash").isFalse();
    assertThat(CanonicalJson.parse("\"\\ud83d\\ude00\"")).isEqualTo("😀");
  }

  @Test
  void reader_refusesWhatCannotRoundTrip() {
    record Case(String text, String reason) {}
    for (Case c :
        List.of(
            new Case("1.5", "only integers"),
            new Case("1e3", "only integers"),
            new Case("01", "leading zero"),
            new Case("-", "expected a digit"),
            new Case("99999999999999999999", "out of range"),
            new Case("null", "null is not allowed"),
            new Case("{\"a\":1,\"a\":2}", "duplicate key"),
            new Case("{\"a\":1} x", "after the value"),
            new Case("\"tab\there\"", "raw control character"),
            new Case("\"\\x\"", "bad escape"),
            new Case("\"\\ud800\"", "unpaired surrogate"),
            new Case("\"open", "unterminated"),
            new Case("{a:1}", "string key"),
            new Case("[1 2]", "expected ','"),
            new Case("", "end of input"),
            new Case("tru", "expected true"))) {
      assertThatThrownBy(() -> CanonicalJson.parse(c.text()))
          .as(c.text())
          .isInstanceOf(MalformedJsonException.class)
          .hasMessageContaining(c.reason());
    }
  }
}
