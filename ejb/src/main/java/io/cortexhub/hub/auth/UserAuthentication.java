package io.cortexhub.hub.auth;

/**
 * Checks a local user's password and issues user tokens.
 *
 * <p>Both methods are throttled per user name and per client address: after a few consecutive
 * failures further attempts are refused for a growing while ({@link LoginThrottledException}), so
 * guessing passwords is slow, and a failed attempt costs as much as a successful one whether or
 * not the user exists. Implementations are container-managed and thread-safe.
 */
public interface UserAuthentication {

  /**
   * The user whose password this is.
   *
   * @param clientAddress where the attempt comes from (for throttling and the log)
   * @throws BadCredentialsException when the user does not exist or the password is wrong
   * @throws LoginThrottledException when too many attempts failed recently
   */
  User authenticate(String username, String password, String clientAddress);

  /**
   * {@link #authenticate}, then a fresh token for that user.
   *
   * @throws TokenIssuingDisabledException when the hub trusts an external issuer instead
   */
  IssuedToken issueToken(String username, String password, String clientAddress);
}
