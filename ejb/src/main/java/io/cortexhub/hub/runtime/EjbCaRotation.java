package io.cortexhub.hub.runtime;

import io.cortexhub.hub.pki.CaRotation;
import io.cortexhub.hub.pki.CaStatus;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/** {@link CaRotation} EJB over the tunnel's PKI (rotation reloads the running listener). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbCaRotation implements CaRotation {
  @EJB
  private TunnelStartup tunnel;

  @Override
  public CaStatus status() {
    return tunnel.caRotation().status();
  }

  @Override
  public CaStatus startRotation(String by) {
    return tunnel.caRotation().startRotation(by);
  }

  @Override
  public CaStatus finishRotation(String by) {
    return tunnel.caRotation().finishRotation(by);
  }
}
