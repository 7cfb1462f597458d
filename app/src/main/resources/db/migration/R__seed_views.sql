-- The seeds' names for PlanPerfect's tables: seed 001's and seed 000's content_* views, pgmq's
-- content queue and archive, pg_cron's cron.job, and seed 000's get_content_stage_backlog().
-- Repeatable: every object here in its current form; Flyway runs this file again whenever it
-- changes. A view whose columns change must be dropped and created again here (create or replace
-- view only appends columns), with the views that select from it.
--
-- Each seed_* view has a seed view's columns over every pipeline. A family's views (content_*)
-- select from them the pipelines that the pipelines table (V007__pipelines.sql) puts in the family,
-- so a new pipeline of the content family needs only its row there, and a new family's view of one
-- of these shapes is one line (CONTRIBUTING.md, "A pipeline's seed views"). Every view here over a
-- single table stays automatically updatable (seed 000's playbook updates content_job_stages).

create or replace view seed_jobs as
    select id, job_type, requester_email, payload, status, stage, priority, max_attempts,
           attempt_count, retry_delay_seconds, first_queued_at, last_queued_at, last_dequeued_at,
           last_completed_at, last_failed_at, last_dead_letter_at, created_at, updated_at,
           result, pipeline, scheduled_at
    from jobs;

create or replace view seed_job_stages as
    select job_id, stage, status, attempt_count, max_attempts, priority, retry_delay_seconds,
           visibility_timeout_seconds, available_at, last_queued_at, last_dequeued_at,
           next_retry_at, dead_lettered_at, dead_letter_reason, started_at, finished_at,
           last_error, position, pipeline
    from job_stages;

create or replace view seed_stages as
    select job_id, stage, status, attempt_count, started_at, finished_at as completed_at,
           last_error ->> 'message' as error_message, last_error, pipeline
    from job_stages;

create or replace view seed_payloads as
    select job_id, stage, data, created_at, updated_at, pipeline
    from job_payloads;

create or replace view seed_events as
    select id, job_id, event_type, message, metadata, created_at, stage, pipeline
    from job_events;

-- Seed 000's troubleshooting query reads events by stage and status.
create or replace view seed_job_events as
    select id, job_id, stage, event_type as status, event_type, message, metadata, created_at, pipeline
    from job_events;

create or replace view seed_dead_letters as
    select id, queue_name, msg_id, job_id, stage, payload, failure_reason, error_details,
           attempt_count, routed_at, created_at, pipeline
    from dead_letters;

-- Seed 002's job status view: each job with its progress over its stages (a skipped stage counts as
-- done) and its last error.
create or replace view seed_job_status as
    select j.id, j.id as job_id, j.pipeline, j.job_type, j.status, j.stage, j.priority, j.attempt_count,
           j.max_attempts, j.retry_delay_seconds, j.payload,
           s.stages_total, s.stages_completed, s.stages_skipped, s.stages_failed,
           case when s.stages_total = 0 then 0
                else round(100.0 * (s.stages_completed + s.stages_skipped) / s.stages_total)::integer end as percent,
           s.last_error, j.result, j.created_at, j.updated_at, j.last_completed_at, j.last_failed_at,
           j.last_dead_letter_at
      from jobs j
      cross join lateral (
          select count(*) as stages_total,
                 count(*) filter (where st.status = 'completed') as stages_completed,
                 count(*) filter (where st.status = 'skipped') as stages_skipped,
                 count(*) filter (where st.status in ('error', 'dead_lettered')) as stages_failed,
                 (array_agg(st.last_error ->> 'message' order by st.finished_at desc nulls last)
                     filter (where st.last_error is not null))[1] as last_error
            from job_stages st where st.job_id = j.id) s;

-- The content family: seed 001's intake writes article jobs and schema jobs into content_jobs.
create or replace view content_jobs as select * from seed_jobs where pipeline in (select name from pipelines where seed_family = 'content');
create or replace view content_job_stages as select * from seed_job_stages where pipeline in (select name from pipelines where seed_family = 'content');
create or replace view content_stages as select * from seed_stages where pipeline in (select name from pipelines where seed_family = 'content');
create or replace view content_payloads as select * from seed_payloads where pipeline in (select name from pipelines where seed_family = 'content');
create or replace view content_events as select * from seed_events where pipeline in (select name from pipelines where seed_family = 'content');
create or replace view content_job_events as select * from seed_job_events where pipeline in (select name from pipelines where seed_family = 'content');
create or replace view content_dead_letters as select * from seed_dead_letters where pipeline in (select name from pipelines where seed_family = 'content');
create or replace function get_content_stage_backlog()
returns table (stage text, queue text, ready_count bigint, in_flight_count bigint, delayed_count bigint,
               oldest_ready_age_sec integer, max_concurrency integer, enabled boolean)
language sql stable as $$ select * from stage_backlog('content') $$;

-- Seed 001's queue-health queries: pgmq's view of the content queue and its archive.
create or replace view pgmq.content_queue as
    select msg_id, read_ct, enqueued_at, vt, message, stage, priority, job_id
    from queue_messages where queue_name = 'content';

create or replace view pgmq.content_archive as
    select msg_id, read_ct, enqueued_at, archived_at, vt, message, stage, priority, job_id
    from queue_archive where queue_name = 'content';

-- pg_cron's catalogue name, for the seed's troubleshooting queries, unless pg_cron itself is installed
-- (its schema cron then holds the real table).
do $$
begin
    if not exists (select 1 from pg_namespace where nspname = 'cron') then
        create schema cron;
    end if;
    if not exists (select 1 from pg_extension where extname = 'pg_cron')
       and coalesce((select c.relkind = 'v' from pg_class c where c.oid = to_regclass('cron.job')), true) then
        create or replace view cron.job as
            select row_number() over (order by name)::bigint as jobid, name as jobname, schedule, command,
                   enabled as active
              from public.scheduler_jobs;
    end if;
end $$;

-- Seed 002's family: PagePerfect. The same shapes over the pipelines the pipelines table puts in it.
create or replace view pageperfect_jobs as select * from seed_jobs where pipeline in (select name from pipelines where seed_family = 'pageperfect');
create or replace view pageperfect_job_stages as select * from seed_job_stages where pipeline in (select name from pipelines where seed_family = 'pageperfect');
create or replace view pageperfect_payloads as select * from seed_payloads where pipeline in (select name from pipelines where seed_family = 'pageperfect');
create or replace view pageperfect_job_events as select * from seed_job_events where pipeline in (select name from pipelines where seed_family = 'pageperfect');
create or replace view pageperfect_dead_letters as select * from seed_dead_letters where pipeline in (select name from pipelines where seed_family = 'pageperfect');
create or replace view v_pageperfect_job_status as
    select s.*, s.payload ->> 'url' as url, s.payload ->> 'page_id' as page_id
      from seed_job_status s where pipeline in (select name from pipelines where seed_family = 'pageperfect');
create or replace function get_pageperfect_stage_backlog()
returns table (stage text, queue text, ready_count bigint, in_flight_count bigint, delayed_count bigint,
               oldest_ready_age_sec integer, max_concurrency integer, enabled boolean)
language sql stable as $$ select * from stage_backlog('pageperfect') $$;

-- pgmq's view of the pageperfect queue (seed 002's "Drain pageperfect queue" reads and purges it).
create or replace view pgmq.pageperfect_queue as
    select msg_id, read_ct, enqueued_at, vt, message, stage, priority, job_id
    from queue_messages where queue_name = 'pageperfect';
