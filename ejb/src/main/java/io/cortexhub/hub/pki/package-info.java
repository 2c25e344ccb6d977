/**
 * The hub's public-key infrastructure: the CA that issues node certificates (EC P-256, in a
 * password-protected PKCS#12 keystore under the data dir, or operator-supplied), the tunnel's
 * server certificate, two-phase CA rotation with hot-reloaded key and trust managers, and the
 * {@code sha256:} fingerprint nodes pin.
 */
package io.cortexhub.hub.pki;
