package io.cortexhub.hub.runtime;

import io.cortexhub.hub.enrollment.IssuedJoinToken;
import io.cortexhub.hub.enrollment.JoinTokenRequest;
import io.cortexhub.hub.enrollment.JoinTokenView;
import io.cortexhub.hub.enrollment.JoinTokens;
import io.cortexhub.hub.workspace.WorkspaceScope;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;

/** {@link JoinTokens} EJB over the hub core's JDBC join tokens (they commit on their own). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbJoinTokens implements JoinTokens {
  @EJB
  private HubRuntime runtime;

  @Override
  public IssuedJoinToken create(JoinTokenRequest request) {
    return runtime.core().joinTokens().create(request);
  }

  @Override
  public List<JoinTokenView> list(WorkspaceScope scope) {
    return runtime.core().joinTokens().list(scope);
  }

  @Override
  public void revoke(String tokenId) {
    runtime.core().joinTokens().revoke(tokenId);
  }
}
