-- Cortex Hub schema, version 3: local users of the REST API and console (hub.auth).
-- Independent of V2 (workspaces): workspace names are kept as text, checked by the application.
-- Roles and workspaces are comma-separated lists of validated names (no commas possible).

create table cortex_user (
  username       varchar(64)    not null primary key,
  password_hash  varchar(256)   not null,
  roles          varchar(64)    not null,
  workspaces     varchar(4000)  not null,
  created_at_ms  bigint         not null,
  created_by     varchar(64)    not null
);
