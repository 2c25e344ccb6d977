/**
 * The node's tamper-evident audit log: append-only JSON lines chained by SHA-256, with RFC 6962
 * Merkle tree heads signed by the node's key and stored by the hub, and the verifier behind
 * {@code cortex-node audit verify}. Records are written in one canonical JSON encoding so that
 * hashes and signatures are over unambiguous bytes.
 */
package io.cortexhub.node.audit;
