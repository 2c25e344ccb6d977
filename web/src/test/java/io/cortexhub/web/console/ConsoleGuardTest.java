package io.cortexhub.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.web.console.ConsoleGuard.Decision;
import org.junit.jupiter.api.Test;

class ConsoleGuardTest {

  @Test
  void pagesNeedASignedInUser() {
    assertThat(ConsoleGuard.decide("/index.xhtml", false)).isEqualTo(Decision.REDIRECT_TO_LOGIN);
    assertThat(ConsoleGuard.decide("/console/index.xhtml", false))
        .isEqualTo(Decision.REDIRECT_TO_LOGIN);
    assertThat(ConsoleGuard.decide("/index.xhtml", true)).isEqualTo(Decision.ALLOW);
  }

  @Test
  void theSignInPageAndItsResources_areOpen() {
    assertThat(ConsoleGuard.decide("/login.xhtml", false)).isEqualTo(Decision.ALLOW);
    assertThat(ConsoleGuard.decide("/jakarta.faces.resource/console.css.xhtml", false))
        .isEqualTo(Decision.ALLOW);
  }
}
