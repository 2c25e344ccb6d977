package io.cortexhub.hub.auth.ejb;

import io.cortexhub.hub.auth.BearerTokens;
import io.cortexhub.hub.auth.TokenRefusedException;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link BearerTokens} EJB: delegates to {@link AuthRuntime#tokens()}. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbBearerTokens implements BearerTokens {
  @EJB
  private AuthRuntime runtime;

  @Override
  public void checkTimes(OptionalLong exp, OptionalLong nbf, OptionalLong iat) {
    runtime.tokens().checkTimes(exp, nbf, iat);
  }

  @Override
  public Optional<TokenRefusedException> explainRefusal(String token) {
    return runtime.tokens().explainRefusal(token);
  }

  @Override
  public Optional<String> publicJwks() {
    return runtime.tokens().publicJwks();
  }
}
