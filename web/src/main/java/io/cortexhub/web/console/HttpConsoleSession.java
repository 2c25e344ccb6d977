package io.cortexhub.web.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/** {@link ConsoleSession} read from the servlet session ({@link ConsoleUser#SESSION_KEY}). */
@RequestScoped
public class HttpConsoleSession implements ConsoleSession {

  @Inject private HttpServletRequest request;

  @Override
  public Optional<ConsoleUser> user() {
    HttpSession session = request.getSession(false);
    Object user = session == null ? null : session.getAttribute(ConsoleUser.SESSION_KEY);
    return user instanceof ConsoleUser u ? Optional.of(u) : Optional.empty();
  }
}
