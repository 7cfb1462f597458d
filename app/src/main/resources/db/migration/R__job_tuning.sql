-- An operator's retry tuning by SQL (seed 002's "Performance Tuning"), on any pipeline's seed views.
-- Repeatable: every object here in its current form. The column is in V040__pageperfect.sql.
--
-- Per job: UPDATE pageperfect_jobs SET max_attempts = 3, retry_delay_seconds = 30 WHERE id = …
-- becomes the job's requested values (which every stage's first claim resolves first) and the values of
-- its unfinished stages. Per stage: UPDATE pageperfect_job_stages SET … WHERE job_id = … AND stage = …
-- is kept by the stage's first claim (which otherwise resolves the stage's values from the job, the
-- stage config row and the node's defaults).

create or replace function jobs_retry_tuned() returns trigger language plpgsql as $$
begin
    if new.max_attempts is distinct from old.max_attempts then
        new.requested_max_attempts := new.max_attempts;
    end if;
    if new.retry_delay_seconds is distinct from old.retry_delay_seconds then
        new.requested_retry_delay_seconds := new.retry_delay_seconds;
    end if;
    return new;
end $$;

drop trigger if exists jobs_retry_tuned on jobs;
create trigger jobs_retry_tuned before update of max_attempts, retry_delay_seconds on jobs
    for each row
    when (old.max_attempts is distinct from new.max_attempts
          or old.retry_delay_seconds is distinct from new.retry_delay_seconds)
    execute function jobs_retry_tuned();

create or replace function jobs_retry_tuned_stages() returns trigger language plpgsql as $$
begin
    update job_stages
       set max_attempts = new.max_attempts, retry_delay_seconds = new.retry_delay_seconds
     where job_id = new.id
       and status not in ('completed', 'skipped', 'dead_lettered', 'cancelled');
    return null;
end $$;

drop trigger if exists jobs_retry_tuned_stages on jobs;
create trigger jobs_retry_tuned_stages after update of max_attempts, retry_delay_seconds on jobs
    for each row
    when (old.max_attempts is distinct from new.max_attempts
          or old.retry_delay_seconds is distinct from new.retry_delay_seconds)
    execute function jobs_retry_tuned_stages();

-- A change of a stage's retry settings that is not a claim (the attempt count stays) is the operator's:
-- marked, and kept by the first claim, which would otherwise resolve the stage's values afresh.
create or replace function job_stages_retry_tuned() returns trigger language plpgsql as $$
begin
    if new.attempt_count = old.attempt_count then
        new.operator_tuned := true;
    elsif old.operator_tuned and old.attempt_count = 0 then
        new.max_attempts := old.max_attempts;
        new.retry_delay_seconds := old.retry_delay_seconds;
    end if;
    return new;
end $$;

drop trigger if exists job_stages_retry_tuned on job_stages;
create trigger job_stages_retry_tuned before update of max_attempts, retry_delay_seconds on job_stages
    for each row
    when (old.max_attempts is distinct from new.max_attempts
          or old.retry_delay_seconds is distinct from new.retry_delay_seconds)
    execute function job_stages_retry_tuned();
