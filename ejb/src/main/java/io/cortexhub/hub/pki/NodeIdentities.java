package io.cortexhub.hub.pki;

import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a node's identity out of its certificate: the SAN URIs {@code urn:cortex:node:<id>} and
 * {@code urn:cortex:workspace:<name>}, exactly one of each, and a subject CN equal to the id.
 * Stateless.
 */
public final class NodeIdentities {
  public static final String NODE_URN = "urn:cortex:node:";
  public static final String WORKSPACE_URN = "urn:cortex:workspace:";
  /** Node ids the hub issues: {@code n-} and 20 lower-case base-32 characters. */
  public static final Pattern NODE_ID = Pattern.compile("n-[a-z2-7]{20}");
  private static final int SAN_URI = 6;

  private NodeIdentities() {}

  /** The identity in {@code cert}, or empty when it does not name exactly one node and workspace. */
  public static Optional<NodeIdentity> of(X509Certificate cert) {
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (sans == null) {
      return Optional.empty();
    }
    String node = null;
    String workspace = null;
    for (List<?> san : sans) {
      if (!Integer.valueOf(SAN_URI).equals(san.get(0)) || !(san.get(1) instanceof String uri)) {
        continue;
      }
      if (uri.startsWith(NODE_URN)) {
        if (node != null) {
          return Optional.empty();
        }
        node = uri.substring(NODE_URN.length());
      } else if (uri.startsWith(WORKSPACE_URN)) {
        if (workspace != null) {
          return Optional.empty();
        }
        workspace = uri.substring(WORKSPACE_URN.length());
      }
    }
    if (node == null || workspace == null || !NODE_ID.matcher(node).matches()
        || !WorkspaceId.isValid(workspace)
        || !cert.getSubjectX500Principal().getName().equals("CN=" + node)) {
      return Optional.empty();
    }
    return Optional.of(new NodeIdentity(new NodeId(node), new WorkspaceId(workspace)));
  }
}
