-- The pipeline engine's tables, shared by every pipeline (content, schema, ...).
-- The seed's names (content_jobs, content_job_stages, ...) are views in R__seed_views.sql.

create table jobs (
    id                  uuid primary key default gen_random_uuid(),
    pipeline            text        not null,
    job_type            text        not null,
    requester_email     text,
    payload             jsonb       not null default '{}'::jsonb,
    -- 'scheduled': scheduled_at lies ahead, no queue message yet (content_pipeline_main promotes it)
    status              text        not null default 'queued'
        check (status in ('scheduled', 'queued', 'processing', 'completed', 'failed', 'cancelled')),
    stage               text        not null default 'intake',
    priority            integer     not null default 0,
    max_attempts        integer     not null default 3,
    attempt_count       integer     not null default 0,
    retry_delay_seconds integer     not null default 60,
    result              jsonb,
    first_queued_at     timestamptz,
    last_queued_at      timestamptz,
    last_dequeued_at    timestamptz,
    last_completed_at   timestamptz,
    last_failed_at      timestamptz,
    last_dead_letter_at timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    -- the time the client asked for (null when it asked for none)
    scheduled_at        timestamptz,
    -- What the job's intake asked for (null: not set), kept apart from max_attempts (which always
    -- holds a value) so that resolving a stage later can still let the job's own values win.
    requested_max_attempts        integer check (requested_max_attempts >= 1),
    requested_retry_delay_seconds integer check (requested_retry_delay_seconds >= 0)
);
create index jobs_pipeline_status_idx on jobs (pipeline, status, created_at desc);
-- why: promotion asks "status = 'scheduled' and scheduled_at <= now() order by scheduled_at";
-- the partial index holds only the jobs still waiting, so it stays small however many jobs ran.
create index jobs_scheduled_due_idx on jobs (scheduled_at) where status = 'scheduled';

create table job_stages (
    job_id                     uuid    not null references jobs (id) on delete cascade,
    stage                      text    not null,
    pipeline                   text    not null,
    position                   integer not null,
    -- a cancelled job leaves its unfinished stages 'cancelled'
    status                     text    not null default 'pending'
        check (status in ('pending', 'queued', 'processing', 'completed', 'error', 'skipped', 'dead_lettered', 'cancelled')),
    attempt_count              integer not null default 0,
    max_attempts               integer not null default 3,
    priority                   integer not null default 0,
    retry_delay_seconds        integer not null default 60,
    visibility_timeout_seconds integer not null default 600,
    available_at               timestamptz not null default now(),
    last_queued_at             timestamptz,
    last_dequeued_at           timestamptz,
    next_retry_at              timestamptz,
    dead_lettered_at           timestamptz,
    dead_letter_reason         text,
    started_at                 timestamptz,
    finished_at                timestamptz,
    last_error                 jsonb,
    primary key (job_id, stage)
);

create table job_payloads (
    job_id     uuid  not null references jobs (id) on delete cascade,
    stage      text  not null,
    pipeline   text  not null,
    data       jsonb not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (job_id, stage)
);

create table job_events (
    id         uuid primary key default gen_random_uuid(),
    job_id     uuid not null references jobs (id) on delete cascade,
    pipeline   text not null,
    stage      text,
    event_type text not null,
    message    text,
    metadata   jsonb,
    created_at timestamptz not null default clock_timestamp()
);
create index job_events_job_idx on job_events (job_id, created_at);
create index job_events_stage_idx on job_events (pipeline, stage, event_type, created_at desc);

-- Dead letters are resolved by replay or discard and kept for the record.
create table dead_letters (
    id             bigserial primary key,
    pipeline       text    not null,
    queue_name     text    not null,
    msg_id         bigint,
    job_id         uuid,
    stage          text,
    payload        jsonb   not null,
    failure_reason text,
    error_details  jsonb,
    attempt_count  integer not null default 0,
    routed_at      timestamptz not null default now(),
    created_at     timestamptz not null default now(),
    resolved_at    timestamptz,
    resolution     text check (resolution in ('replayed', 'discarded'))
);
create index dead_letters_job_idx on dead_letters (job_id);
create index dead_letters_open_idx on dead_letters (routed_at desc) where resolved_at is null;
