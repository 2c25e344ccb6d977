-- Cortex Hub schema, version 1: nodes, tasks, task output.
-- Portable between H2 2.2 and PostgreSQL 15. Times are Unix epoch milliseconds (bigint), which
-- both databases and every JDBC driver handle identically. ${bytes} is a placeholder set by the
-- migrator: bytea on PostgreSQL, varbinary on H2.

create table cortex_node (
  id                    varchar(64)   not null primary key,
  name                  varchar(128)  not null,
  state                 varchar(16)   not null,
  instance_id           varchar(64)   not null,
  agent_version         varchar(64)   not null,
  os_name               varchar(128)  not null,
  os_version            varchar(128)  not null,
  arch                  varchar(64)   not null,
  kernel                varchar(256)  not null,
  cpus                  integer       not null,
  memory_bytes          bigint        not null,
  jvm                   varchar(256)  not null,
  hostname              varchar(256)  not null,
  isolation             varchar(64)   not null,
  max_tasks             integer       not null,
  created_at_ms         bigint        not null,
  connected_at_ms       bigint        not null,
  last_heartbeat_at_ms  bigint,
  state_changed_at_ms   bigint        not null,
  version               bigint        default 0 not null,
  constraint uq_node_name unique (name)
);

create table cortex_node_label (
  node_id      varchar(64)   not null,
  label_key    varchar(128)  not null,
  label_value  varchar(512)  not null,
  primary key (node_id, label_key),
  constraint fk_node_label_node foreign key (node_id) references cortex_node (id) on delete cascade
);

create table cortex_node_capability (
  node_id     varchar(64)  not null,
  capability  varchar(64)  not null,
  primary key (node_id, capability),
  constraint fk_node_capability_node foreign key (node_id) references cortex_node (id) on delete cascade
);

create table cortex_task (
  id                varchar(36)     not null primary key,
  kind              varchar(16)     not null,
  state             varchar(16)     not null,
  node_id           varchar(64),
  target_node_id    varchar(64),
  selector          varchar(4000)   not null,
  echo_message      varchar(65535)  not null,
  argv              varchar(65535)  not null,
  env               varchar(65535)  not null,
  working_dir       varchar(4096)   not null,
  timeout_ms        bigint          not null,
  kill_grace_ms     bigint          not null,
  idempotency_key   varchar(256),
  requested_by      varchar(256)    not null,
  traceparent       varchar(64)     not null,
  exit_code         integer,
  detail            varchar(4000)   default '' not null,
  output_seq        bigint          default 0 not null,
  final_seq         bigint,
  created_at_ms     bigint          not null,
  dispatched_at_ms  bigint,
  started_at_ms     bigint,
  finished_at_ms    bigint,
  constraint uq_task_idempotency_key unique (idempotency_key)
);

create index ix_task_created on cortex_task (created_at_ms);
create index ix_task_state on cortex_task (state);

-- No foreign key to cortex_task on purpose: output is written in batches and one bad row must not
-- fail a whole batch; the hub only journals output of tasks it knows.
create table cortex_task_output (
  task_id         varchar(36)   not null,
  seq             bigint        not null,
  stream          varchar(8)    not null,
  data            ${bytes}      not null,
  produced_at_ms  bigint        not null,
  frame_id        varchar(128),
  frame_index     integer,
  frame_last      boolean,
  codec           varchar(64),
  primary key (task_id, seq)
);
