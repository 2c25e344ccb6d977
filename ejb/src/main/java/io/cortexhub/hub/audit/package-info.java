/**
 * The hub's side of node audit logs: it stores the signed checkpoints (Merkle tree heads) nodes send
 * and fetches a task's audit records from its node on demand. The log itself lives on the node,
 * where the hub can neither change nor switch it off.
 */
package io.cortexhub.hub.audit;
