-- Jobs scheduled for later: intake stores a job whose scheduled_at lies ahead as 'scheduled',
-- with no queue message; content_pipeline_main promotes it to 'queued' (and sends the message)
-- once scheduled_at has passed. For jobs queued at once, scheduled_at keeps the time the client
-- asked for (null when it asked for none).
alter table jobs add column scheduled_at timestamptz;

alter table jobs drop constraint jobs_status_check;
alter table jobs add constraint jobs_status_check
    check (status in ('scheduled', 'queued', 'processing', 'completed', 'failed', 'cancelled'));

-- why: promotion asks "status = 'scheduled' and scheduled_at <= now() order by scheduled_at";
-- the partial index holds only the jobs still waiting, so it stays small however many jobs ran.
create index jobs_scheduled_due_idx on jobs (scheduled_at) where status = 'scheduled';

-- content_jobs is the only view over jobs; it gains scheduled_at as its last column
-- (create or replace keeps every existing column, name and position, as the seed's queries use them).
create or replace view content_jobs as
    select id, job_type, requester_email, payload, status, stage, priority, max_attempts,
           attempt_count, retry_delay_seconds, first_queued_at, last_queued_at, last_dequeued_at,
           last_completed_at, last_failed_at, last_dead_letter_at, created_at, updated_at,
           result, pipeline, scheduled_at
    from jobs where pipeline in ('content', 'schema');
