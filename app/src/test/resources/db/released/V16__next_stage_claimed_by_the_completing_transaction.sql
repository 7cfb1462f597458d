-- Issue 5, handoff latency: one commit per stage. The transaction that completes a stage may also
-- claim and begin the next stage's attempt, when the completing node has a free runner for that
-- stage; the node then runs it at once, with no wake-up, no claim loop and no second commit between
-- the two stages. Without a free runner (or when the claim below takes nothing) the job's next
-- message waits in the queue as before and the claim loops take it.
--
--   reserve_stage_slots     gains p_wait (default true, as before). false: when another transaction
--                           holds the stage's claim lock, wait for it at most 5 ms, then return null.
--   claim_stage_attempts    gains p_wait, passed to reserve_stage_slots, and returns at once when the
--                           stage has no ready message, before it takes the claim lock; otherwise as V15.
--   complete_stage_attempt_and_claim_next
--                           complete_stage_attempt (V14) and then, in the same transaction and when
--                           p_claim_next, a claim of one message of the next stage that waits at most
--                           5 ms for the stage's claim lock. One row: applied (false when the lease was
--                           lost, and nothing else happened), stage_backlog (whether the completed
--                           stage has ready messages waiting, that is whether anyone needs to hear
--                           that its slot is free) and the claimed attempt's columns (null when none
--                           was claimed).
--
-- Why the chained claim waits at most 5 ms for the claim lock: the completing transaction holds its
-- job row and this stage's message and slot. Waiting without a bound while holding them is safe only
-- while every queue's stages form one chain (locks then always go forward along it); a bounded wait
-- is safe for any stage graph, and a claim loop holds the lock for a few milliseconds. On timeout the
-- message falls back to the claim loops, which take it as before.

-- Order is kept: the chained claim takes the head of the next stage's ready messages (priority, then
-- age), which is the job's own new message unless older ones are waiting.

drop function claim_stage_attempts(text, text, double precision, integer, integer, boolean, integer, integer);
drop function reserve_stage_slots(text, text, integer, integer, boolean);

create function reserve_stage_slots(p_queue text, p_stage text, p_qty integer, p_max_override integer,
                                    p_via_endpoint boolean, p_wait boolean default true)
returns integer[]
language plpgsql as $$
declare
    v_config  content_stage_config%rowtype;
    v_max     integer;
    v_free    integer;
    v_slots   integer[];
    v_lock    bigint;
    v_lock_timeout text := current_setting('lock_timeout');
begin
    select * into v_config from content_stage_config c where c.queue = p_queue and c.stage = p_stage;
    if not found or not v_config.enabled or (v_config.worker_endpoint is not null and not p_via_endpoint) then
        return null;
    end if;
    v_max := coalesce(p_max_override, v_config.max_concurrency);
    if v_max <= 0 or p_qty <= 0 then
        return null;
    end if;

    v_lock := hashtextextended('planperfect:claim:' || p_queue || ':' || p_stage, 0);
    if p_wait then
        perform pg_advisory_xact_lock(v_lock);
    elsif not pg_try_advisory_xact_lock(v_lock) then
        -- Another claim of the stage is running, usually for a few milliseconds: wait that long, no
        -- longer. A bounded wait cannot hold up a cycle of waits; on timeout the claim gives up and
        -- the message is left to the claim loops.
        begin
            perform set_config('lock_timeout', '5ms', true);
            perform pg_advisory_xact_lock(v_lock);
            perform set_config('lock_timeout', v_lock_timeout, true);
        exception when lock_not_available then
            return null;  -- the subtransaction's rollback restored lock_timeout
        end;
    end if;

    select v_max - count(*) into v_free from stage_slots s
     where s.queue_name = p_queue and s.stage = p_stage and s.lease is not null and s.expires_at > now();
    v_free := least(v_free, p_qty);
    if v_free <= 0 then
        return null;
    end if;

    select array_agg(f.slot order by f.slot) into v_slots from (
        select s.slot from stage_slots s
         where s.queue_name = p_queue and s.stage = p_stage and (s.lease is null or s.expires_at <= now())
         order by s.slot limit v_free for update) f;
    if coalesce(cardinality(v_slots), 0) < v_free then
        insert into stage_slots (queue_name, stage, slot)
        select p_queue, p_stage, g from generate_series(0, v_max - 1) g
        on conflict do nothing;
        select array_agg(f.slot order by f.slot) into v_slots from (
            select s.slot from stage_slots s
             where s.queue_name = p_queue and s.stage = p_stage and (s.lease is null or s.expires_at <= now())
             order by s.slot limit v_free for update) f;
    end if;
    return v_slots;
end $$;

create function claim_stage_attempts(p_queue text, p_stage text, p_visibility double precision, p_qty integer,
                                     p_max_override integer, p_via_endpoint boolean,
                                     p_default_max_attempts integer, p_default_retry_delay integer,
                                     p_wait boolean default true)
returns table (msg_id bigint, queue_name text, stage text, job_id uuid, priority integer, read_ct integer,
               enqueued_at timestamptz, vt timestamptz, lease uuid, message text,
               outcome text, attempt integer, max_attempts integer, retry_delay_seconds integer,
               job_type text, job_priority integer, job_payload text, results text)
language plpgsql as $$
#variable_conflict use_column
declare
    v_config  record;
    v_slots   integer[];
    v_used    integer := 0;
    v_ids     bigint[];
    v_id      bigint;
    v_job     record;
    v_stage   record;
    v_begun   boolean;
    v_claimed record;
begin
    -- why before the claim lock: most claims by a woken loop find the message already taken by a
    -- chained claim; such a claim now returns without touching the lock or the slots that the
    -- completing transactions try to take.
    if not exists (select 1 from queue_messages q
                    where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()) then
        return;
    end if;
    v_slots := reserve_stage_slots(p_queue, p_stage, p_qty, p_max_override, p_via_endpoint, p_wait);
    if v_slots is null then
        return;
    end if;
    select c.max_attempts, c.retry_delay_seconds into v_config
      from content_stage_config c where c.queue = p_queue and c.stage = p_stage;

    select array_agg(p.msg_id order by p.priority desc, p.msg_id) into v_ids from (
        select q.msg_id, q.priority from queue_messages q
         where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()
         order by q.priority desc, q.msg_id
         limit cardinality(v_slots)
         for update skip locked) p;
    if v_ids is null then
        return;
    end if;

    foreach v_id in array v_ids loop
        -- why SKIP LOCKED: this transaction already holds message locks, and cancel takes the job
        -- row before the messages; waiting here could close a cycle. NO KEY UPDATE: inserts of
        -- events (foreign-key share locks) do not hold the claim back.
        select j.id, j.pipeline, j.job_type, j.status, j.priority, j.payload, j.requested_max_attempts,
               j.requested_retry_delay_seconds
          into v_job
          from jobs j join queue_messages q on q.job_id = j.id
         where q.msg_id = v_id
           for no key update of j skip locked;
        if not found then
            if exists (select 1 from queue_messages q join jobs j on j.id = q.job_id where q.msg_id = v_id) then
                continue;  -- the job row is held elsewhere (a cancel, a transition): a later claim takes it
            end if;
        end if;

        v_begun := false;
        if v_job.id is not null and v_job.status not in ('completed', 'failed', 'cancelled') then
            update job_stages s
               set status = 'processing', attempt_count = s.attempt_count + 1, started_at = now(),
                   finished_at = null, last_dequeued_at = now(), next_retry_at = null,
                   max_attempts = case when s.attempt_count = 0
                       then coalesce(v_job.requested_max_attempts, v_config.max_attempts, p_default_max_attempts)
                       else s.max_attempts end,
                   retry_delay_seconds = case when s.attempt_count = 0
                       then coalesce(v_job.requested_retry_delay_seconds, v_config.retry_delay_seconds, p_default_retry_delay)
                       else s.retry_delay_seconds end
             where s.job_id = v_job.id and s.stage = p_stage and s.status <> 'completed'
            returning s.attempt_count, s.max_attempts, s.retry_delay_seconds into v_stage;
            v_begun := found;
        end if;

        if not v_begun then
            -- The job is finished or gone, or the stage already completed: archive the message unrun.
            return query
            with done as (
                delete from queue_messages q where q.msg_id = v_id returning q.*),
            freed as (
                update stage_slots s set msg_id = null, lease = null, expires_at = null
                 where s.lease in (select d.lease from done d where d.lease is not null)),
            archived as (
                insert into queue_archive (msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease,
                                           message, visibility_seconds, max_attempts, retry_delay_seconds)
                select d.msg_id, d.queue_name, d.stage, d.job_id, d.priority, d.enqueued_at, d.vt, d.read_ct, d.lease,
                       d.message, d.visibility_seconds, d.max_attempts, d.retry_delay_seconds
                  from done d)
            select d.msg_id, d.queue_name, d.stage, d.job_id, d.priority, d.read_ct, d.enqueued_at, d.vt, d.lease,
                   d.message::text, 'discarded', null::integer, null::integer, null::integer,
                   null::text, null::integer, null::text, null::text
              from done d;
            continue;
        end if;

        update jobs j set status = 'processing', stage = p_stage, attempt_count = j.attempt_count + 1,
                          last_dequeued_at = now(), updated_at = now()
         where j.id = v_job.id;

        update queue_messages m
           set vt = now() + make_interval(secs => coalesce(m.visibility_seconds, p_visibility)),
               read_ct = m.read_ct + 1,
               lease = gen_random_uuid()
         where m.msg_id = v_id
        returning m.* into v_claimed;

        v_used := v_used + 1;
        update stage_slots s set msg_id = v_id, lease = v_claimed.lease, expires_at = v_claimed.vt
         where s.queue_name = p_queue and s.stage = p_stage and s.slot = v_slots[v_used];

        -- A stage begun max_attempts times without finishing is dead-lettered by the caller, unrun.
        if v_stage.attempt_count <= v_stage.max_attempts then
            insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
            values (v_job.id, v_job.pipeline, p_stage, 'processing', 'Stage ' || p_stage || ' started',
                    jsonb_build_object('attempt', v_stage.attempt_count, 'msg_id', v_id, 'delivery', v_claimed.read_ct));
        end if;

        return query
        select v_claimed.msg_id, v_claimed.queue_name, v_claimed.stage, v_claimed.job_id, v_claimed.priority,
               v_claimed.read_ct, v_claimed.enqueued_at, v_claimed.vt, v_claimed.lease, v_claimed.message::text,
               case when v_stage.attempt_count <= v_stage.max_attempts then 'run' else 'exhausted' end,
               v_stage.attempt_count, v_stage.max_attempts, v_stage.retry_delay_seconds,
               v_job.job_type, v_job.priority, v_job.payload::text,
               (select coalesce(jsonb_object_agg(p.stage, p.data), '{}'::jsonb)::text
                  from job_payloads p where p.job_id = v_job.id);
    end loop;
end $$;

create function complete_stage_attempt_and_claim_next(
    p_msg_id bigint, p_lease uuid, p_delivery integer, p_job_id uuid, p_pipeline text, p_queue text, p_stage text,
    p_attempt integer, p_result jsonb, p_next_stage text, p_priority integer, p_claim_next boolean,
    p_visibility double precision, p_max_override integer, p_default_max_attempts integer, p_default_retry_delay integer)
returns table (applied boolean, stage_backlog boolean,
               msg_id bigint, queue_name text, stage text, job_id uuid, priority integer, read_ct integer,
               enqueued_at timestamptz, vt timestamptz, lease uuid, message text,
               outcome text, attempt integer, max_attempts integer, retry_delay_seconds integer,
               job_type text, job_priority integer, job_payload text, results text)
language plpgsql as $$
begin
    applied := complete_stage_attempt(p_msg_id, p_lease, p_delivery, p_job_id, p_pipeline, p_queue, p_stage, p_attempt,
                                      p_result, p_next_stage, p_priority);
    if applied then
        -- why: the slot just freed matters to other claimers only if this stage has messages waiting
        stage_backlog := exists (select 1 from queue_messages q
                                  where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now());
    end if;
    if applied and p_claim_next and p_next_stage is not null then
        select c.msg_id, c.queue_name, c.stage, c.job_id, c.priority, c.read_ct, c.enqueued_at, c.vt, c.lease, c.message,
               c.outcome, c.attempt, c.max_attempts, c.retry_delay_seconds, c.job_type, c.job_priority, c.job_payload,
               c.results
          into msg_id, queue_name, stage, job_id, priority, read_ct, enqueued_at, vt, lease, message,
               outcome, attempt, max_attempts, retry_delay_seconds, job_type, job_priority, job_payload, results
          from claim_stage_attempts(p_queue, p_next_stage, p_visibility, 1, p_max_override, false,
                                    p_default_max_attempts, p_default_retry_delay, false) c;
    end if;
    return next;
end $$;
