-- fs tasks (issue 4): the one file operation a task carries, as the serialized
-- cortex.node.v1.FsPayload the node receives (the .proto is its schema). Null for other kinds.
-- Write data is bounded by the hub (1 MiB per task), so it stays in the row.
alter table cortex_task add column fs_op ${bytes};
