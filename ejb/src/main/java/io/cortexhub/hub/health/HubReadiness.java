package io.cortexhub.hub.health;

import java.util.List;

/**
 * The hub's own view of whether it can serve: each dependency checked now. The web layer publishes
 * these as MicroProfile Health readiness checks.
 */
public interface HubReadiness {

  /** One dependency's state, with a short human-readable detail ("listening on 0.0.0.0:9443"). */
  record Check(String name, boolean up, String detail) {}

  List<Check> checks();
}
