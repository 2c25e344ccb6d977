/**
 * Node session tokens: short-lived ES256 JWTs the hub gives a node after its mutual-TLS handshake,
 * naming the node, its workspace and the capabilities it is granted (what it offered and its
 * workspace allows). Refreshed over the stream; other node RPCs present them as bearer tokens.
 */
package io.cortexhub.hub.session;
