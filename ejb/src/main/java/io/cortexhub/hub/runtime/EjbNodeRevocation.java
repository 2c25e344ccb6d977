package io.cortexhub.hub.runtime;

import io.cortexhub.hub.enrollment.NodeRevocation;
import io.cortexhub.hub.registry.NodeId;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/** {@link NodeRevocation} EJB: stores the revocation and closes the node's live stream. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbNodeRevocation implements NodeRevocation {
  @EJB
  private HubRuntime runtime;

  @Override
  public void revoke(NodeId node, String by, String reason) {
    runtime.core().revocations().revoke(node, by, reason);
  }
}
