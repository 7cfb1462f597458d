-- The pipeline engine's tables, shared by every pipeline (content, schema, ...).
-- The seed's table names (content_jobs, content_job_stages, ...) are views below.

create table jobs (
    id                  uuid primary key default gen_random_uuid(),
    pipeline            text        not null,
    job_type            text        not null,
    requester_email     text,
    payload             jsonb       not null default '{}'::jsonb,
    status              text        not null default 'queued'
        check (status in ('queued', 'processing', 'completed', 'failed', 'cancelled')),
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
    updated_at          timestamptz not null default now()
);
create index jobs_pipeline_status_idx on jobs (pipeline, status, created_at desc);

create table job_stages (
    job_id                     uuid    not null references jobs (id) on delete cascade,
    stage                      text    not null,
    pipeline                   text    not null,
    position                   integer not null,
    status                     text    not null default 'pending'
        check (status in ('pending', 'queued', 'processing', 'completed', 'error', 'skipped', 'dead_lettered')),
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
    created_at     timestamptz not null default now()
);
create index dead_letters_job_idx on dead_letters (job_id);

-- Seed 001's names. The content family holds article jobs and schema jobs, as the seed's
-- intake writes both into content_jobs.
create view content_jobs as
    select id, job_type, requester_email, payload, status, stage, priority, max_attempts,
           attempt_count, retry_delay_seconds, first_queued_at, last_queued_at, last_dequeued_at,
           last_completed_at, last_failed_at, last_dead_letter_at, created_at, updated_at,
           result, pipeline
    from jobs where pipeline in ('content', 'schema');

create view content_job_stages as
    select job_id, stage, status, attempt_count, max_attempts, priority, retry_delay_seconds,
           visibility_timeout_seconds, available_at, last_queued_at, last_dequeued_at,
           next_retry_at, dead_lettered_at, dead_letter_reason, started_at, finished_at,
           last_error, position, pipeline
    from job_stages where pipeline in ('content', 'schema');

create view content_stages as
    select job_id, stage, status, attempt_count, started_at, finished_at as completed_at,
           last_error ->> 'message' as error_message, last_error, pipeline
    from job_stages where pipeline in ('content', 'schema');

create view content_payloads as
    select job_id, stage, data, created_at, updated_at, pipeline
    from job_payloads where pipeline in ('content', 'schema');

create view content_events as
    select id, job_id, event_type, message, metadata, created_at, stage, pipeline
    from job_events where pipeline in ('content', 'schema');

-- Seed 000's troubleshooting query reads events by stage and status.
create view content_job_events as
    select id, job_id, stage, event_type as status, event_type, message, metadata, created_at, pipeline
    from job_events where pipeline in ('content', 'schema');

create view content_dead_letters as
    select id, queue_name, msg_id, job_id, stage, payload, failure_reason, error_details,
           attempt_count, routed_at, created_at, pipeline
    from dead_letters where pipeline in ('content', 'schema');
