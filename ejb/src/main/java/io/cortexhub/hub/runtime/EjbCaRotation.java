package io.cortexhub.hub.runtime;

import io.cortexhub.hub.pki.CaRotation;
import io.cortexhub.hub.pki.CaStatus;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/** {@link CaRotation} EJB over the hub's PKI (the running listener picks changes up at once). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbCaRotation implements CaRotation {
  @EJB
  private HubRuntime runtime;

  @Override
  public CaStatus status() {
    return runtime.core().security().pki().status();
  }

  @Override
  public CaStatus startRotation(String by) {
    return runtime.core().security().pki().startRotation(by);
  }

  @Override
  public CaStatus finishRotation(String by) {
    return runtime.core().security().pki().finishRotation(by);
  }
}
