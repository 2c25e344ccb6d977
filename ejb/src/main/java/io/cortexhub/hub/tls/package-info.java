/**
 * TLS material of the tunnel: a hub CA and server certificate (EC P-256) generated on first boot
 * under the data directory and reused afterwards, or PEM files supplied by the operator.
 */
package io.cortexhub.hub.tls;
