/**
 * User tokens: the hub's RSA (RS256) signing key (generated once under the data dir, mode 0600), minting
 * tokens with nimbus-jose-jwt, our own strict verification (which names the reason of a refusal),
 * and the MicroProfile {@code ConfigSource} that tells Payara's MP-JWT which key and issuer to
 * trust.
 */
package io.cortexhub.hub.auth.token;
