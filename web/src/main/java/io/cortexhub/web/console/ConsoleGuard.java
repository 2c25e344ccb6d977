package io.cortexhub.web.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * Keeps the console closed to anyone not signed in: every Faces page but the sign-in page itself
 * (and the Faces resources it needs, such as the style sheet) redirects to {@value #LOGIN_PAGE}
 * unless the session holds a {@link ConsoleUser}.
 *
 * <p>Why a session sign-in rather than bearer tokens: a browser cannot attach a bearer token to
 * a page request, and Payara's MP-JWT is the application's only authentication mechanism, so the
 * console checks a local user's password itself ({@link ConsoleLogin}) and remembers the user in
 * the HTTP-only session cookie. Pages also answer {@code Cache-Control: no-store}, so a shared
 * browser's back button shows nothing after sign-out. Thread-safe (stateless).
 */
@WebFilter(urlPatterns = "*.xhtml", dispatcherTypes = {DispatcherType.REQUEST,
    DispatcherType.FORWARD})
public class ConsoleGuard extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** The sign-in page, open to all. */
  public static final String LOGIN_PAGE = "/login.xhtml";

  /** What the guard does with a request. */
  enum Decision {
    ALLOW,
    REDIRECT_TO_LOGIN
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    HttpSession session = request.getSession(false);
    boolean signedIn = session != null
        && session.getAttribute(ConsoleUser.SESSION_KEY) instanceof ConsoleUser;
    String path = request.getServletPath() + (request.getPathInfo() == null ? ""
        : request.getPathInfo());
    if (decide(path, signedIn) == Decision.REDIRECT_TO_LOGIN) {
      response.sendRedirect(request.getContextPath() + LOGIN_PAGE);
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    chain.doFilter(request, response);
  }

  /** The decision for a Faces path (servlet path plus path info). */
  static Decision decide(String path, boolean signedIn) {
    if (signedIn || LOGIN_PAGE.equals(path) || path.startsWith("/jakarta.faces.resource/")) {
      return Decision.ALLOW;
    }
    return Decision.REDIRECT_TO_LOGIN;
  }
}
