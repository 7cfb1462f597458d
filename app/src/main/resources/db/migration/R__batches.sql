-- Batches (issue 17): generation_batches' counters follow their jobs' ends. Repeatable: every object
-- here in its current form. The table is in V020__generation_pipeline_priorities_batches.sql.
--
-- A trigger on jobs, so every path that ends a job (the completing transition, a dead letter, a
-- cancel, a batch cancel, the sweeper) and every path that reopens one (a dead letter's replay)
-- moves the counters in its own transaction, whoever wrote the change. The trigger's WHEN clause
-- keeps it off the hot path: it runs only for a job of a batch whose status enters or leaves a
-- final one (completed, failed, cancelled).
--
-- The batch row is locked by the update, so two jobs of one batch ending at once are counted one
-- after the other; the one that makes completed + failed + cancelled reach total_jobs while the
-- batch has no finished_at yet finishes the batch: status, finished_at and a 'batch_completed'
-- event on that job's trail, exactly once. A replay after that moves the counters and the status
-- (completed_with_failures becomes completed when nothing failed any more) but writes no second event.

create or replace function batch_job_status_changed() returns trigger
language plpgsql as $$
declare
    v_batch generation_batches%rowtype;
    v_status text;
begin
    update generation_batches b
       set completed = b.completed + (case when new.status = 'completed' then 1 else 0 end)
                                   - (case when old.status = 'completed' then 1 else 0 end),
           failed    = b.failed    + (case when new.status = 'failed' then 1 else 0 end)
                                   - (case when old.status = 'failed' then 1 else 0 end),
           cancelled = b.cancelled + (case when new.status = 'cancelled' then 1 else 0 end)
                                   - (case when old.status = 'cancelled' then 1 else 0 end),
           updated_at = now()
     where b.id = new.batch_id
    returning b.* into v_batch;
    if not found then
        return null;
    end if;

    if v_batch.completed + v_batch.failed + v_batch.cancelled < v_batch.total_jobs then
        if v_batch.finished_at is not null and v_batch.status <> 'processing' then
            update generation_batches b set status = 'processing' where b.id = v_batch.id;
        end if;
        return null;
    end if;

    v_status := case when v_batch.cancel_requested_at is not null then 'cancelled'
                     when v_batch.failed + v_batch.cancelled > 0 then 'completed_with_failures'
                     else 'completed' end;
    update generation_batches b
       set status = v_status, finished_at = coalesce(b.finished_at, now())
     where b.id = v_batch.id;
    if v_batch.finished_at is null then
        insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
        values (new.id, new.pipeline, new.stage, 'batch_completed', 'Batch ' || v_batch.id || ' ' || v_status,
                jsonb_build_object('batch_id', v_batch.id, 'status', v_status, 'total_jobs', v_batch.total_jobs,
                                   'completed', v_batch.completed, 'failed', v_batch.failed,
                                   'cancelled', v_batch.cancelled, 'callback_url', v_batch.callback_url));
        -- why here: the callback is owed in the same commit as the event, never sent from this transaction;
        -- the node's CallbackDelivery loop posts it after the commit (V021)
        if v_batch.callback_url is not null then
            insert into callback_deliveries (subject, subject_id, url, body)
            values ('batch', v_batch.id, v_batch.callback_url,
                    jsonb_build_object('event', 'batch_completed', 'batch_id', v_batch.id,
                                       'pipeline', v_batch.pipeline, 'status', v_status,
                                       'total_jobs', v_batch.total_jobs, 'completed', v_batch.completed,
                                       'failed', v_batch.failed, 'cancelled', v_batch.cancelled,
                                       'finished_at', now()))
            on conflict (subject, subject_id, kind) do nothing;
        end if;
    end if;
    return null;
end $$;

drop trigger if exists jobs_batch_counters on jobs;
create trigger jobs_batch_counters
    after update of status on jobs
    for each row
    when (new.batch_id is not null and old.status is distinct from new.status
          and (new.status in ('completed', 'failed', 'cancelled') or old.status in ('completed', 'failed', 'cancelled')))
    execute function batch_job_status_changed();
