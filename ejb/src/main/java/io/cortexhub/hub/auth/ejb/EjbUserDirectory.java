package io.cortexhub.hub.auth.ejb;

import io.cortexhub.hub.auth.NewUser;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.UserDirectory;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.Optional;

/** {@link UserDirectory} EJB: delegates to {@link AuthRuntime#users()}. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbUserDirectory implements UserDirectory {
  @EJB
  private AuthRuntime runtime;

  @Override
  public User create(NewUser user, String by) {
    return runtime.users().create(user, by);
  }

  @Override
  public List<User> list() {
    return runtime.users().list();
  }

  @Override
  public Optional<User> find(String username) {
    return runtime.users().find(username);
  }

  @Override
  public void delete(String username, String by) {
    runtime.users().delete(username, by);
  }
}
