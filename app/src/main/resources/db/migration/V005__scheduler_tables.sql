-- Seed 003's scheduler, run by PlanPerfect itself (no pg_cron): the jobs, their run history and
-- the running nodes. The management functions (seed 003's names) are in R__scheduler.sql.

create table scheduler_jobs (
    name                 text primary key,
    schedule             text        not null,
    action               text        not null,
    command              text        not null,
    description          text,
    enabled              boolean     not null default true,
    timeout_seconds      integer     not null default 300 check (timeout_seconds > 0),
    last_run_at          timestamptz,
    -- null until a node computes it from the schedule (after insert, re-enable or a schedule change)
    next_run_at          timestamptz,
    trigger_requested_at timestamptz,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

-- One row per run, scheduled or manual. job_id is the job's name (seed 003's queries read it).
create table job_runs (
    id                 bigserial primary key,
    job_id             text        not null,
    status             text        not null check (status in ('running', 'success', 'failed', 'timeout', 'abandoned')),
    started_at         timestamptz not null default now(),
    completed_at       timestamptz,
    processing_time_ms integer,
    error_message      text,
    -- the due time a scheduled run was claimed for; null for manual runs
    scheduled_for      timestamptz,
    node_id            text,
    metadata           jsonb       not null default '{}'::jsonb
);
-- why: the claim is a compare-and-set on next_run_at; this index is the second wall behind it.
create unique index job_runs_scheduled_once_idx on job_runs (job_id, scheduled_for) where scheduled_for is not null;
create index job_runs_job_started_idx on job_runs (job_id, started_at desc);
create index job_runs_started_idx on job_runs (started_at);
create index job_runs_running_idx on job_runs (job_id) where status = 'running';

-- Every running node, refreshed by its scheduler loop; the health job counts the live ones.
create table cluster_nodes (
    node_id      text primary key,
    host         text,
    pid          bigint,
    roles        jsonb       not null default '{}'::jsonb,
    started_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now()
);
