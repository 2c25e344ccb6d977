/**
 * How the node decides to trust its hub: a CA certificate file, or a pinned SHA-256 fingerprint of
 * the CA certificate's DER encoding. Either way the server chain is validated with PKIX and the host
 * name is checked against the certificate.
 */
package io.cortexhub.node.tls;
