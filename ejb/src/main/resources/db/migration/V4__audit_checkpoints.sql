-- Signed Merkle tree heads of node audit logs (see docs/security.md, "Audit log on the node").
-- The hub keeps every checkpoint a node sends; `cortex-node audit verify --checkpoints` compares a
-- node's log against them to detect a truncated tail. Never updated, never deleted by the hub.
create table cortex_audit_checkpoint (
  node_id            varchar(64)   not null,
  tree_size          bigint        not null,
  root_hash          ${bytes}      not null,
  last_record_hash   ${bytes}      not null,
  created_at_ms      bigint        not null,
  signature          ${bytes}      not null,
  algorithm          varchar(64)   not null,
  received_at_ms     bigint        not null,
  primary key (node_id, tree_size)
);
