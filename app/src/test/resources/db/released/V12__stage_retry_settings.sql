-- Per-stage retry settings (issue #4). A stage's attempt limit and base retry delay are resolved,
-- most specific first: the job's intake values, the stage's content_stage_config row, the stage
-- definition, the pipeline definition, the node's CONTENT_STAGE_MAX_ATTEMPTS /
-- CONTENT_STAGE_RETRY_DELAY_SECONDS. They are resolved again when a stage's first attempt begins
-- and stored on its job_stages row; the backoff's cap and jitter stay the node's.

-- null: defer to the code's definitions and the node's environment.
alter table content_stage_config
    add column max_attempts        integer check (max_attempts between 1 and 25),
    add column retry_delay_seconds integer check (retry_delay_seconds between 0 and 86400);

-- What the job's intake asked for (null: not set), kept apart from jobs.max_attempts (which
-- always holds a value) so that resolving a stage later can still let the job's own values win.
alter table jobs
    add column requested_max_attempts        integer check (requested_max_attempts >= 1),
    add column requested_retry_delay_seconds integer check (requested_retry_delay_seconds >= 0);

-- Jobs already in the system keep the settings they were submitted with.
update jobs
   set requested_max_attempts = max_attempts, requested_retry_delay_seconds = retry_delay_seconds
 where status in ('queued', 'processing', 'failed');
