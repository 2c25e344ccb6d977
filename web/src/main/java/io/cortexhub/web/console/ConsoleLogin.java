package io.cortexhub.web.console;

import io.cortexhub.hub.auth.BadCredentialsException;
import io.cortexhub.hub.auth.LoginThrottledException;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.UserAuthentication;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * Backing bean of the sign-in page and the sign-out button: checks a local user's password through
 * {@link UserAuthentication} (throttled like the REST token endpoint), then renews the session id
 * (no session fixation) and keeps a {@link ConsoleUser} in the session. Request-scoped.
 */
@Named("consoleLogin")
@RequestScoped
public class ConsoleLogin {

  private UserAuthentication users;
  private String username;
  private String password;

  /** For CDI's client proxy only. */
  protected ConsoleLogin() {}

  @Inject
  public ConsoleLogin(UserAuthentication users) {
    this.users = Objects.requireNonNull(users, "users");
  }

  /** Signs in and goes to the home page, or stays with a message. */
  public String signIn() {
    FacesContext faces = FacesContext.getCurrentInstance();
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    try {
      User user = users.authenticate(username, password, request.getRemoteAddr());
      request.getSession(true);
      request.changeSessionId();
      external.getSessionMap().put(ConsoleUser.SESSION_KEY, ConsoleUser.of(user));
      return "/index.xhtml?faces-redirect=true";
    } catch (BadCredentialsException | LoginThrottledException e) {
      faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
          e instanceof BadCredentialsException ? "Wrong user name or password."
              : "Too many failed attempts. " + e.getMessage() + ".", null));
      return null;
    } finally {
      password = null;
    }
  }

  /** Ends the session and goes back to the sign-in page. */
  public String signOut() {
    FacesContext.getCurrentInstance().getExternalContext().invalidateSession();
    return ConsoleGuard.LOGIN_PAGE + "?faces-redirect=true";
  }

  /** The signed-in user, or null (for EL). */
  public ConsoleUser getUser() {
    Object user = FacesContext.getCurrentInstance().getExternalContext().getSessionMap()
        .get(ConsoleUser.SESSION_KEY);
    return user instanceof ConsoleUser u ? u : null;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
