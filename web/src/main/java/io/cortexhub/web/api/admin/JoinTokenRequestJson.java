package io.cortexhub.web.api.admin;

import java.util.Map;

/**
 * Body of {@code POST /join-tokens}.
 *
 * @param workspace the workspace enrolled nodes join; omitted: the caller's only workspace, else
 *     {@code default}
 * @param labels labels every node enrolled with the token gets
 * @param ttlSeconds how long the token works; omitted: 900 (15 minutes)
 * @param uses how many nodes may enroll with it; omitted: 1
 */
public record JoinTokenRequestJson(
    String workspace, Map<String, String> labels, Long ttlSeconds, Integer uses) {}
