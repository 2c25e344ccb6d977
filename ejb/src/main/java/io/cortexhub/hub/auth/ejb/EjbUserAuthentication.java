package io.cortexhub.hub.auth.ejb;

import io.cortexhub.hub.auth.IssuedToken;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.UserAuthentication;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/** {@link UserAuthentication} EJB: delegates to {@link AuthRuntime#users()}. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbUserAuthentication implements UserAuthentication {
  @EJB
  private AuthRuntime runtime;

  @Override
  public User authenticate(String username, String password, String clientAddress) {
    return runtime.users().authenticate(username, password, clientAddress);
  }

  @Override
  public IssuedToken issueToken(String username, String password, String clientAddress) {
    return runtime.users().issueToken(username, password, clientAddress);
  }
}
