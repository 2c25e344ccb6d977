/**
 * How a machine becomes a node: join tokens an admin issues (one-time, expiring, bound to a
 * workspace and labels, stored hashed), enrollment that turns a token and a CSR into a node
 * identity and certificate, renewal, and revocation that ends a node's stream and refuses it from
 * then on.
 */
package io.cortexhub.hub.enrollment;
