-- Seed 000's stage configuration, and the in-flight ledger that makes max_concurrency a hard
-- limit across every node. Its triggers are in R__stage_config.sql, the claims that use the
-- slots in R__stage_claims.sql.

create table content_stage_config (
    stage               text    not null,
    queue               text    not null default 'content',
    worker_endpoint     text,
    max_concurrency     integer not null default 10 check (max_concurrency >= 0),
    trigger_batch_size  integer not null default 1 check (trigger_batch_size >= 1),
    enabled             boolean not null default true,
    last_updated_at     timestamptz not null default now(),
    -- Per-stage retry settings; null: defer to the code's definitions and the node's environment.
    max_attempts        integer check (max_attempts between 1 and 25),
    retry_delay_seconds integer check (retry_delay_seconds between 0 and 86400),
    primary key (queue, stage)
);

-- One row per slot a stage may fill: a stage limited to N fills only slots 0 .. N-1 (rows are
-- written with the config row, see R__stage_config.sql). A claim takes free slots (no lease, or
-- a lease whose message visibility has run out); an ack frees its slot in the same statement, by lease.
create table stage_slots (
    queue_name text    not null,
    stage      text    not null,
    slot       integer not null,
    msg_id     bigint,
    lease      uuid,
    expires_at timestamptz,
    primary key (queue_name, stage, slot)
) with (fillfactor = 50);
create index stage_slots_lease_idx on stage_slots (lease) where lease is not null;
