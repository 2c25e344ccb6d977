/**
 * TLS towards the hub. Before enrollment the node trusts the hub by a CA file or a pinned SHA-256
 * fingerprint of the CA ({@link io.cortexhub.node.tls.HubTrust}); once enrolled it uses mutual TLS
 * ({@link io.cortexhub.node.tls.MutualTls}): it presents its node certificate and trusts exactly the
 * CAs of its credential bundle, both swappable at runtime for renewal and CA rotation. Either way the
 * server chain is validated with PKIX and the host name is checked against the certificate.
 */
package io.cortexhub.node.tls;
