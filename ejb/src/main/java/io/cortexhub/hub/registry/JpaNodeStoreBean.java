package io.cortexhub.hub.registry;

import io.cortexhub.hub.connector.inbound.NodeHello;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link NodeStore} EJB: each call is a JTA transaction around {@link JpaNodeStore}. */
@Stateless
@Local(NodeStore.class)
public class JpaNodeStoreBean implements NodeStore {
  @PersistenceContext(unitName = "cortex")
  private EntityManager em;

  @Override
  public NodeView register(NodeHello hello, Instant now) {
    return new JpaNodeStore(em).register(hello, now);
  }

  @Override
  public void updateState(NodeId node, NodeState state, Instant at, Optional<Instant> hb) {
    new JpaNodeStore(em).updateState(node, state, at, hb);
  }

  /** One transaction for the whole batch (the registry's write-behind flush). */
  @Override
  public void updateStates(List<StateChange> changes) {
    JpaNodeStore store = new JpaNodeStore(em);
    for (StateChange c : changes) {
      store.updateState(c.node(), c.state(), c.at(), c.lastHeartbeat());
    }
  }

  @Override
  public List<NodeView> all() {
    return new JpaNodeStore(em).all();
  }

  @Override
  public Optional<NodeView> find(NodeId node) {
    return new JpaNodeStore(em).find(node);
  }
}
