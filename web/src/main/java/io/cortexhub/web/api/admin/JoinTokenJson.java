package io.cortexhub.web.api.admin;

import io.cortexhub.hub.enrollment.JoinTokenView;
import java.util.Map;

/**
 * A join token as listed, never its secret.
 *
 * @param tokenId public id
 * @param workspace the workspace enrolled nodes join
 * @param labels labels given to enrolled nodes
 * @param createdAt ISO-8601 instant
 * @param expiresAt ISO-8601 instant
 * @param usesLeft enrollments still allowed
 * @param revoked whether an admin revoked it
 * @param createdBy who created it
 */
public record JoinTokenJson(String tokenId, String workspace, Map<String, String> labels,
    String createdAt, String expiresAt, int usesLeft, boolean revoked, String createdBy) {

  public static JoinTokenJson of(JoinTokenView v) {
    return new JoinTokenJson(v.tokenId(), v.workspace().value(), v.labels(),
        v.createdAt().toString(), v.expiresAt().toString(), v.usesLeft(), v.revoked(),
        v.createdBy());
  }
}
