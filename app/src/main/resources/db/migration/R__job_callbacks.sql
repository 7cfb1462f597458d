-- A job's completion delivery (issue 19 item 8): when a job with a callback_url, or whose requester is to
-- be mailed, reaches an end (completed, failed -- a dead letter fails it --, cancelled), the transaction
-- that ends it owes the delivery: one callback_deliveries row per kind, holding the job's summary. The
-- node's CallbackDelivery loop posts or mails it after the commit, never from this transaction.
--
-- A trigger, like R__batches.sql's, so every path that ends a job owes it in its own transaction. Its
-- WHEN clause keeps it off the hot path: it runs only for a job that asked for a delivery.
--
-- A job that ends again (a dead letter replayed, then completed) owes its delivery again with the new
-- summary: the row is reset to pending (a claim in flight loses its lease and its answer is dropped).

create or replace function job_delivery_summary(p_job jobs) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'event', 'job_' || p_job.status,
        'job_id', p_job.id,
        'pipeline', p_job.pipeline,
        'job_type', p_job.job_type,
        'status', p_job.status,
        'stage', p_job.stage,
        'batch_id', p_job.batch_id,
        'created_at', p_job.created_at,
        'finished_at', now(),
        'attempts', (select coalesce(sum(s.attempt_count), 0) from job_stages s where s.job_id = p_job.id),
        'error', case when p_job.status = 'failed' then
                     (select s.last_error from job_stages s where s.job_id = p_job.id and s.stage = p_job.stage) end,
        'result_keys', case when jsonb_typeof(p_job.result) = 'object' then
                           (select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(p_job.result) k) end,
        'links', jsonb_build_object('job', '/api/v1/jobs/' || p_job.id, 'payloads', '/api/v1/jobs/' || p_job.id || '/payloads'))
$$;

create or replace function job_delivery_owed() returns trigger
language plpgsql as $$
declare
    v_body jsonb := job_delivery_summary(new);
begin
    if new.callback_url is not null then
        insert into callback_deliveries (subject, subject_id, kind, url, body)
        values ('job', new.id, 'webhook', new.callback_url, v_body)
        on conflict (subject, subject_id, kind) do update
           set body = excluded.body, url = excluded.url, status = 'pending', attempts = 0, lease = null,
               next_attempt_at = now(), last_status = null, last_error = null, delivered_at = null, updated_at = now();
    end if;
    if new.mail_requester and new.requester_email is not null then
        insert into callback_deliveries (subject, subject_id, kind, url, body)
        values ('job', new.id, 'mail', 'mailto:' || new.requester_email, v_body)
        on conflict (subject, subject_id, kind) do update
           set body = excluded.body, url = excluded.url, status = 'pending', attempts = 0, lease = null,
               next_attempt_at = now(), last_status = null, last_error = null, delivered_at = null, updated_at = now();
    end if;
    return null;
end $$;

drop trigger if exists jobs_delivery_owed on jobs;
create trigger jobs_delivery_owed
    after update of status on jobs
    for each row
    when ((new.callback_url is not null or new.mail_requester)
          and old.status is distinct from new.status and new.status in ('completed', 'failed', 'cancelled'))
    execute function job_delivery_owed();
