package io.cortexhub.hub.registry;

import io.cortexhub.hub.connector.inbound.NodeHello;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link NodeStore} on JPA. Every method expects a transaction to be active on the entity manager
 * (container JTA in the hub, a resource-local one in tests). Not thread-safe itself: create one per
 * call around the entity manager of that call.
 */
public final class JpaNodeStore implements NodeStore {
  private final EntityManager em;

  public JpaNodeStore(EntityManager em) {
    this.em = Objects.requireNonNull(em, "em");
  }

  @Override
  public NodeView register(NodeHello hello, Instant now) {
    NodeEntity node = em.find(NodeEntity.class, hello.identity().id().value());
    if (node == null) {
      node = new NodeEntity(hello.identity().id().value(), hello.name(), now);
      em.persist(node);
    }
    node.apply(hello, now);
    em.flush();
    return node.toView();
  }

  @Override
  public void updateState(NodeId id, NodeState state, Instant at, Optional<Instant> lastHeartbeat) {
    NodeEntity node = em.find(NodeEntity.class, id.value());
    if (node == null) {
      throw new UnknownNodeException(id);
    }
    node.changeState(state, at);
    lastHeartbeat.ifPresent(node::heartbeatAt);
  }

  @Override
  public List<NodeView> all() {
    return em.createNamedQuery("NodeEntity.all", NodeEntity.class)
        .setHint("eclipselink.batch.type", "IN")
        .setHint("eclipselink.batch", "n.labels")
        .setHint("eclipselink.batch", "n.capabilities")
        .getResultStream().map(NodeEntity::toView).toList();
  }

  @Override
  public Optional<NodeView> find(NodeId id) {
    return Optional.ofNullable(em.find(NodeEntity.class, id.value())).map(NodeEntity::toView);
  }
}
