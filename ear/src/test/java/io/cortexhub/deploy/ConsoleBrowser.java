package io.cortexhub.deploy;

import java.io.IOException;
import java.net.URI;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;

/** Signs in to the console through its sign-in page, as a person would. */
final class ConsoleBrowser {

  private ConsoleBrowser() {}

  /** Opens {@code page}, which redirects to the sign-in page, and signs in; answers where it lands. */
  static HtmlPage signIn(WebClient browser, URI page, String username, String password)
      throws IOException {
    HtmlPage login = browser.getPage(page.toURL());
    if (login.getElementById("login") == null) {
      throw new AssertionError("expected the sign-in page at " + login.getUrl() + ", got: "
          + login.asNormalizedText());
    }
    return submit(login, username, password);
  }

  /** Fills and submits the sign-in form of {@code login}. */
  static HtmlPage submit(HtmlPage login, String username, String password) throws IOException {
    HtmlForm form = login.getHtmlElementById("login");
    form.getInputByName("login:username").setValue(username);
    form.getInputByName("login:password").setValue(password);
    return form.getInputByName("login:submit").click();
  }
}
