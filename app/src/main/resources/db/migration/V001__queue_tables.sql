-- The durable queue: pgmq semantics in two tables shared by every queue.
-- why one table for all queues: a new pipeline needs no DDL, and the claim index
-- (queue_name, stage, priority desc, msg_id) serves every queue equally.

create table queues (
    queue_name    text primary key,
    created_at    timestamptz not null default now(),
    -- total_messages = live + archived + removed without archive (delete, pop, purge).
    removed_count bigint      not null default 0
);

-- why fillfactor 70 and no vt/lease/read_ct in any index: a claim only rewrites those
-- columns, so it stays a HOT update in the same page and the index does not churn.
create table queue_messages (
    msg_id              bigint generated always as identity primary key,
    queue_name          text        not null,
    stage               text        not null,
    job_id              uuid,
    priority            integer     not null default 0,
    enqueued_at         timestamptz not null default now(),
    vt                  timestamptz not null default now(),
    read_ct             integer     not null default 0,
    lease               uuid,
    message             jsonb       not null,
    -- per-message options of seed 001's enqueueJob (null: the node's defaults)
    visibility_seconds  integer,
    max_attempts        integer,
    retry_delay_seconds integer
) with (fillfactor = 70,
        autovacuum_vacuum_scale_factor = 0.02,
        autovacuum_vacuum_threshold = 500,
        autovacuum_vacuum_cost_delay = 0);

-- Matches the claim exactly: equality on queue and stage, then the claim order.
create index queue_messages_claim_idx on queue_messages (queue_name, stage, priority desc, msg_id);
create index queue_messages_job_idx on queue_messages (job_id);

create table queue_archive (
    msg_id              bigint      primary key,
    queue_name          text        not null,
    stage               text        not null,
    job_id              uuid,
    priority            integer     not null,
    enqueued_at         timestamptz not null,
    vt                  timestamptz not null,
    read_ct             integer     not null,
    lease               uuid,
    message             jsonb       not null,
    archived_at         timestamptz not null default now(),
    visibility_seconds  integer,
    max_attempts        integer,
    retry_delay_seconds integer
);
create index queue_archive_queue_idx on queue_archive (queue_name, archived_at);
create index queue_archive_job_idx on queue_archive (job_id, stage);

-- Seed 001's queue-health queries name pgmq objects: R__queue_metrics.sql and R__seed_views.sql
-- answer them in this schema from the tables above.
create schema if not exists pgmq;
