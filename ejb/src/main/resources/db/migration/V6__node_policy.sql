-- What a node reports of its owner's local policy (issue 4): the consent mode, the rendered policy and its
-- SHA-256. The hub shows them and can change none of them. Empty for rows of agents that predate them.
alter table cortex_node add column consent_mode varchar(32) default '' not null;
alter table cortex_node add column policy_digest varchar(64) default '' not null;
alter table cortex_node add column policy varchar(262144) default '' not null;
