package io.cortexhub.web.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerRefusalServletTest {

  @Test
  void bearer_takesTheTokenOfABearerHeaderOnly() {
    assertThat(BearerRefusalServlet.bearer("Bearer abc.def.ghi")).contains("abc.def.ghi");
    assertThat(BearerRefusalServlet.bearer("bearer  abc ")).contains("abc");
    assertThat(BearerRefusalServlet.bearer("Basic dXNlcjpwdw==")).isEmpty();
    assertThat(BearerRefusalServlet.bearer("Bearer ")).isEmpty();
    assertThat(BearerRefusalServlet.bearer(null)).isEmpty();
  }

  @Test
  void challenge_quotesTheReasonSafely() {
    assertThat(BearerRefusalServlet.challenge("issuer is not trusted: \"evil\"\\"))
        .isEqualTo("Bearer realm=\"cortex-hub\", error=\"invalid_token\","
            + " error_description=\"issuer is not trusted: 'evil'\"");
  }
}
