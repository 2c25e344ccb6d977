package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.persistence.JdbcTransactions;
import io.cortexhub.hub.persistence.TextCodec;
import io.cortexhub.hub.pki.Pem;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Enrolled node identities (table {@code cortex_node_identity}) and the record of certificates
 * issued to them ({@code cortex_node_certificate}). Identities are cached in memory because the
 * tunnel asks on every handshake; they are only ever added. Thread-safe.
 */
public final class JdbcNodeIdentities {
  private final DataSource dataSource;
  private final Map<NodeId, EnrolledNode> cache = new ConcurrentHashMap<>();

  public JdbcNodeIdentities(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    JdbcTransactions.autoCommit(dataSource, "read node identities", c -> {
      try (PreparedStatement ps = c.prepareStatement("select node_id, workspace, display_name,"
          + " labels, join_token_id, enrolled_at_ms from cortex_node_identity");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          EnrolledNode n = new EnrolledNode(new NodeIdentity(new NodeId(rs.getString(1)),
              new WorkspaceId(rs.getString(2))), rs.getString(3),
              TextCodec.decodeMap(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
              Instant.ofEpochMilli(rs.getLong(6)));
          cache.put(n.identity().id(), n);
        }
      }
      return null;
    });
  }

  public Optional<EnrolledNode> find(NodeId node) {
    return Optional.ofNullable(cache.get(node));
  }

  public boolean isEnrolled(NodeId node) {
    return cache.containsKey(node);
  }

  /** Inserts on the caller's connection; {@link #committed} makes it visible afterwards. */
  void insert(Connection c, EnrolledNode n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into cortex_node_identity (node_id,"
        + " workspace, display_name, labels, join_token_id, enrolled_at_ms) values (?,?,?,?,?,?)")) {
      ps.setString(1, n.identity().id().value());
      ps.setString(2, n.identity().workspace().value());
      ps.setString(3, n.displayName());
      ps.setString(4, TextCodec.encodeMap(n.labels()));
      ps.setString(5, n.joinTokenId().orElse(null));
      ps.setLong(6, n.enrolledAt().toEpochMilli());
      ps.executeUpdate();
    }
  }

  void committed(EnrolledNode n) {
    cache.put(n.identity().id(), n);
  }

  /** Records a certificate issued to {@code node}, on the caller's connection. */
  void recordCertificate(Connection c, NodeId node, X509Certificate cert, X509Certificate ca,
      String purpose, Instant issuedAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into cortex_node_certificate (serial,"
        + " node_id, ca_fingerprint, not_before_ms, not_after_ms, issued_at_ms, purpose)"
        + " values (?,?,?,?,?,?,?)")) {
      ps.setString(1, cert.getSerialNumber().toString(16));
      ps.setString(2, node.value());
      ps.setString(3, Pem.fingerprint(ca));
      ps.setLong(4, cert.getNotBefore().getTime());
      ps.setLong(5, cert.getNotAfter().getTime());
      ps.setLong(6, issuedAt.toEpochMilli());
      ps.setString(7, purpose);
      ps.executeUpdate();
    }
  }

  /** How many certificates were issued to {@code node} (tests, diagnostics). */
  public int certificatesIssued(NodeId node) {
    return JdbcTransactions.autoCommit(dataSource, "count certificates", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "select count(*) from cortex_node_certificate where node_id = ?")) {
        ps.setString(1, node.value());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }
}
