-- Cortex Hub schema, version 2: workspaces, join tokens, enrolled node identities, issued
-- certificates and revocations (security issue). Portable between H2 2.2 and PostgreSQL 15; times
-- are Unix epoch milliseconds.

-- A workspace owns nodes, tasks and join tokens. granted_capabilities is a TextCodec list; the
-- single entry "*" grants every capability.
create table cortex_workspace (
  name                  varchar(64)    not null primary key,
  granted_capabilities  varchar(4000)  not null,
  created_at_ms         bigint         not null,
  updated_at_ms         bigint         not null
);

insert into cortex_workspace (name, granted_capabilities, created_at_ms, updated_at_ms)
  values ('default', '&*', 0, 0);

-- Node ids now come from enrollment (the certificate), so display names need not be unique.
alter table cortex_node drop constraint uq_node_name;
alter table cortex_node add column workspace varchar(64) default 'default' not null;
create index ix_node_workspace on cortex_node (workspace);

alter table cortex_task add column workspace varchar(64) default 'default' not null;
create index ix_task_workspace_created on cortex_task (workspace, created_at_ms);

-- One-time (or n-time) enrollment secrets. Only the SHA-256 of the secret is stored.
create table cortex_join_token (
  id             varchar(64)    not null primary key,
  secret_sha256  varchar(64)    not null,
  workspace      varchar(64)    not null,
  labels         varchar(4000)  not null,
  created_at_ms  bigint         not null,
  expires_at_ms  bigint         not null,
  uses_left      integer        not null,
  revoked        boolean        default false not null,
  created_by     varchar(256)   not null
);

create index ix_join_token_workspace on cortex_join_token (workspace);

-- A node identity the hub chose at enrollment: the id and workspace in its certificates.
create table cortex_node_identity (
  node_id        varchar(64)    not null primary key,
  workspace      varchar(64)    not null,
  display_name   varchar(128)   not null,
  labels         varchar(4000)  not null,
  join_token_id  varchar(64),
  enrolled_at_ms bigint         not null
);

-- Revoked nodes: refused at every handshake and RPC from then on.
create table cortex_node_revocation (
  node_id        varchar(64)    not null primary key,
  revoked_at_ms  bigint         not null,
  revoked_by     varchar(256)   not null,
  reason         varchar(1000)  not null
);

-- Every certificate issued to a node (enrollment or renewal), for audit and incident response.
create table cortex_node_certificate (
  serial          varchar(64)   not null primary key,
  node_id         varchar(64)   not null,
  ca_fingerprint  varchar(80)   not null,
  not_before_ms   bigint        not null,
  not_after_ms    bigint        not null,
  issued_at_ms    bigint        not null,
  purpose         varchar(16)   not null
);

create index ix_node_certificate_node on cortex_node_certificate (node_id);
