-- Stage transitions written in SQL: the successful end of an attempt (complete_stage_attempt) and the
-- same followed by the claim of the next stage's message in the same transaction
-- (complete_stage_attempt_and_claim_next, StageTransitions). Repeatable: every object here in its
-- current form; Flyway runs this file again whenever it changes.

-- The successful end of an attempt in one call: the lease-guarded archive (freeing the slot), the
-- result, the stage completed, the 'completed' event, and either the next stage queued with its
-- message and event or the job completed. p_delivery is the message's read_ct at the run's claim,
-- written on the 'completed' event (as the claim writes it on 'processing'): it tells which
-- delivery's result was applied. False when the lease was lost: nothing is applied. The stages the
-- job passes over on its way to p_next_stage (the caller decided them by their skip predicates:
-- every pending stage between this one and the next, or after this one when the job ends) are
-- marked skipped, each with a 'skipped' event, in the same commit.
create or replace function complete_stage_attempt(p_msg_id bigint, p_lease uuid, p_delivery integer, p_job_id uuid, p_pipeline text, p_queue text,
                                       p_stage text, p_attempt integer, p_result jsonb, p_next_stage text,
                                       p_priority integer)
returns boolean
language plpgsql as $$
declare
    v_position integer;
begin
    v_position := finish_stage_attempt(p_msg_id, p_lease, p_delivery, p_job_id, p_pipeline, p_stage, p_attempt, p_result);
    if v_position is null then
        return false;  -- the lease was lost: nothing of this result is applied
    end if;
    perform move_job_on(p_job_id, p_pipeline, p_queue, p_stage, v_position, p_result, p_next_stage, p_priority);
    return true;
end $$;

-- The first half of a successful end: the job row locked, the message archived if its lease still
-- holds (its slot freed), the result stored, the stage completed with its 'completed' event (unless
-- p_event is false: the caller writes it, with the events that follow it). Returns the stage's position,
-- or null when the lease was lost (nothing is applied).
drop function if exists finish_stage_attempt(bigint, uuid, integer, uuid, text, text, integer, jsonb);
create or replace function finish_stage_attempt(p_msg_id bigint, p_lease uuid, p_delivery integer, p_job_id uuid,
                                                p_pipeline text, p_stage text, p_attempt integer, p_result jsonb,
                                                p_event boolean default true)
returns integer
language plpgsql as $$
#variable_conflict use_column
declare
    v_position integer;
begin
    -- why first: the job row before the message, the order cancel and replay use.
    perform 1 from jobs j where j.id = p_job_id for no key update;

    with done as (
        delete from queue_messages q where q.msg_id = p_msg_id and q.lease is not distinct from p_lease
        returning q.*),
    -- why by stage, then lease: the primary key's prefix finds the stage's slots (V060 dropped the
    -- lease index, so that claiming and freeing a slot are HOT updates)
    freed as (
        update stage_slots s set msg_id = null, lease = null, expires_at = null
          from done d
         where s.queue_name = d.queue_name and s.stage = d.stage and s.lease = d.lease)
    insert into queue_archive (msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease,
                               message, visibility_seconds, max_attempts, retry_delay_seconds)
    select d.msg_id, d.queue_name, d.stage, d.job_id, d.priority, d.enqueued_at, d.vt, d.read_ct, d.lease,
           d.message, d.visibility_seconds, d.max_attempts, d.retry_delay_seconds
      from done d;
    if not found then
        return null;
    end if;

    insert into job_payloads (job_id, stage, pipeline, data) values (p_job_id, p_stage, p_pipeline, p_result)
        on conflict (job_id, stage) do update set data = excluded.data, updated_at = now();
    update job_stages s set status = 'completed', finished_at = now(), next_retry_at = null, waiting_since = null
     where s.job_id = p_job_id and s.stage = p_stage
    returning s.position into v_position;
    if p_event then
        perform write_completed_event(p_msg_id, p_delivery, p_job_id, p_pipeline, p_stage, p_attempt);
    end if;
    return v_position;
end $$;

-- A stage's 'completed' event: which attempt, message and delivery ended it.
create or replace function write_completed_event(p_msg_id bigint, p_delivery integer, p_job_id uuid, p_pipeline text,
                                                 p_stage text, p_attempt integer)
returns void
language plpgsql as $$
begin
    insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
    values (p_job_id, p_pipeline, p_stage, 'completed', 'Stage ' || p_stage || ' completed',
            jsonb_build_object('attempt', p_attempt, 'msg_id', p_msg_id, 'delivery', p_delivery));
end $$;

-- The second half: the next stage queued with its message and 'queued' event (the stages passed over
-- skipped), or, with no next stage, the job completed with p_result.
create or replace function move_job_on(p_job_id uuid, p_pipeline text, p_queue text, p_stage text, p_position integer,
                                       p_result jsonb, p_next_stage text, p_priority integer)
returns void
language plpgsql as $$
#variable_conflict use_column
declare
    v_next_position integer;
begin
    if p_next_stage is null then
        perform skip_stages_between(p_job_id, p_pipeline, p_position, null);
        update jobs j set status = 'completed', result = p_result, last_completed_at = now(), updated_at = now()
         where j.id = p_job_id;
        insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
        values (p_job_id, p_pipeline, p_stage, 'job_completed', 'Job completed', null);
        return;
    end if;
    update job_stages s set status = 'queued', last_queued_at = now(), available_at = now()
     where s.job_id = p_job_id and s.stage = p_next_stage
    returning s.position into v_next_position;
    if v_next_position > p_position + 1 then
        perform skip_stages_between(p_job_id, p_pipeline, p_position, v_next_position);
    end if;
    update jobs j set stage = p_next_stage, status = 'queued', last_queued_at = now(), updated_at = now()
     where j.id = p_job_id;
    -- the envelope MessageQueue.send writes: {job_id, stage, payload}
    insert into queue_messages (queue_name, stage, job_id, priority, message)
    values (p_queue, p_next_stage, p_job_id, p_priority,
            jsonb_build_object('job_id', p_job_id, 'stage', p_next_stage,
                               'payload', jsonb_build_object('from', p_stage)));
    insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
    values (p_job_id, p_pipeline, p_next_stage, 'queued', 'Job queued for ' || p_next_stage, null);
end $$;

-- The successful end of an attempt (as complete_stage_attempt) and, when the caller has a free runner
-- for the next stage (p_claim_next), that stage's attempt begun in the same commit:
--   * handed straight on, when the next stage has no ready message and a free slot under its limit:
--     the job's next message is written already claimed, and the next stage row and the job go from
--     this stage's end to the next one's 'processing' in one update each, with this stage's 'completed'
--     and the next one's 'queued' and 'processing' events written together. Nothing waits before it, so this is the message a claim
--     would have taken; it saves the claim's reads and the second update of the message, the job and
--     the stage row (docs/PERFORMANCE.md, "Handed straight on").
--   * otherwise the job's next stage is queued as by complete_stage_attempt and the head of that
--     stage's ready messages is claimed (claim_stage_attempts): the job's own or an older one.
create or replace function complete_stage_attempt_and_claim_next(
    p_msg_id bigint, p_lease uuid, p_delivery integer, p_job_id uuid, p_pipeline text, p_queue text, p_stage text,
    p_attempt integer, p_result jsonb, p_next_stage text, p_priority integer, p_claim_next boolean,
    p_visibility double precision, p_max_override integer, p_default_max_attempts integer, p_default_retry_delay integer)
returns table (applied boolean, stage_backlog boolean,
               msg_id bigint, queue_name text, stage text, job_id uuid, priority integer, read_ct integer,
               enqueued_at timestamptz, vt timestamptz, lease uuid, message text,
               outcome text, attempt integer, max_attempts integer, retry_delay_seconds integer,
               job_type text, job_priority integer, job_payload text, results text)
language plpgsql as $$
#variable_conflict use_column
declare
    v_position  integer;
    v_slots     integer[];
    v_job       record;
    v_next      integer;  -- the next stage's position, once its attempt is begun here
    v_attempt   integer;
    v_max       integer;
    v_delay     integer;
    v_claimed   record;
begin
    -- why without its event: handed straight on, the 'completed' event is written with the next stage's
    -- 'queued' and 'processing' in one insert (one statement's fixed cost instead of two)
    v_position := finish_stage_attempt(p_msg_id, p_lease, p_delivery, p_job_id, p_pipeline, p_stage, p_attempt, p_result,
                                       false);
    applied := v_position is not null;
    if not applied then
        return next;
        return;
    end if;
    -- why: the slot just freed matters to other claimers only if this stage has messages waiting
    stage_backlog := stage_has_ready(p_queue, p_stage);

    if p_claim_next and p_next_stage is not null and not stage_has_ready(p_queue, p_next_stage) then
        v_slots := reserve_stage_slots(p_queue, p_next_stage, 1, p_max_override, false, false, 1);
    end if;
    if v_slots is not null then
        -- handed straight on (the job row is locked since finish_stage_attempt; the job is live, or its
        -- message would have been gone and the lease lost)
        select j.job_type, j.priority, j.payload, j.requested_max_attempts, j.requested_retry_delay_seconds
          into v_job from jobs j where j.id = p_job_id;
        select b.stage_position, b.attempt, b.max_attempts, b.retry_delay_seconds
          into v_next, v_attempt, v_max, v_delay
          from begin_stage_attempt(p_job_id, p_queue, p_next_stage, true, v_job.requested_max_attempts,
                                   v_job.requested_retry_delay_seconds, p_default_max_attempts,
                                   p_default_retry_delay) b;
    end if;
    if v_next is null then
        -- queued, then the head of the next stage claimed (not handed straight on: see above)
        perform write_completed_event(p_msg_id, p_delivery, p_job_id, p_pipeline, p_stage, p_attempt);
        perform move_job_on(p_job_id, p_pipeline, p_queue, p_stage, v_position, p_result, p_next_stage, p_priority);
        if p_claim_next and p_next_stage is not null then
            select c.msg_id, c.queue_name, c.stage, c.job_id, c.priority, c.read_ct, c.enqueued_at, c.vt, c.lease, c.message,
                   c.outcome, c.attempt, c.max_attempts, c.retry_delay_seconds, c.job_type, c.job_priority, c.job_payload,
                   c.results
              into msg_id, queue_name, stage, job_id, priority, read_ct, enqueued_at, vt, lease, message,
                   outcome, attempt, max_attempts, retry_delay_seconds, job_type, job_priority, job_payload, results
              from claim_stage_attempts(p_queue, p_next_stage, p_visibility, 1, p_max_override, false,
                                        p_default_max_attempts, p_default_retry_delay, false) c;
        end if;
        return next;
        return;
    end if;

    if v_next > v_position + 1 then
        -- the stages passed over: their events come after this stage's 'completed'
        perform write_completed_event(p_msg_id, p_delivery, p_job_id, p_pipeline, p_stage, p_attempt);
        perform skip_stages_between(p_job_id, p_pipeline, v_position, v_next);
    end if;
    -- the envelope MessageQueue.send writes: {job_id, stage, payload}; claimed as claim_stage_attempts claims
    insert into queue_messages (queue_name, stage, job_id, priority, message, vt, read_ct, lease)
    values (p_queue, p_next_stage, p_job_id, p_priority,
            jsonb_build_object('job_id', p_job_id, 'stage', p_next_stage,
                               'payload', jsonb_build_object('from', p_stage)),
            now() + make_interval(secs => p_visibility), 1, gen_random_uuid())
    returning * into v_claimed;
    update stage_slots s set msg_id = v_claimed.msg_id, lease = v_claimed.lease, expires_at = v_claimed.vt
     where s.queue_name = p_queue and s.stage = p_next_stage and s.slot = v_slots[1];
    -- in this order, as separate statements wrote them before: this stage's 'completed' (unless written
    -- before the skipped ones; as write_completed_event writes it), the next one's 'queued', then (unless
    -- exhausted) its 'processing'
    insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
    select p_job_id, p_pipeline, e.stage, e.event_type, e.message, e.metadata
      from (values (0, p_stage, 'completed', 'Stage ' || p_stage || ' completed',
                    jsonb_build_object('attempt', p_attempt, 'msg_id', p_msg_id, 'delivery', p_delivery)),
                   (1, p_next_stage, 'queued', 'Job queued for ' || p_next_stage, null::jsonb),
                   (2, p_next_stage, 'processing', 'Stage ' || p_next_stage || ' started',
                    jsonb_build_object('attempt', v_attempt, 'msg_id', v_claimed.msg_id, 'delivery', 1))
           ) e (n, stage, event_type, message, metadata)
     where (e.n = 0 and v_next = v_position + 1) or e.n = 1 or (e.n = 2 and v_attempt <= v_max)
     order by e.n;

    msg_id := v_claimed.msg_id; queue_name := v_claimed.queue_name; stage := v_claimed.stage;
    job_id := v_claimed.job_id; priority := v_claimed.priority; read_ct := v_claimed.read_ct;
    enqueued_at := v_claimed.enqueued_at; vt := v_claimed.vt; lease := v_claimed.lease;
    message := v_claimed.message::text;
    outcome := case when v_attempt <= v_max then 'run' else 'exhausted' end;
    attempt := v_attempt; max_attempts := v_max; retry_delay_seconds := v_delay;
    job_type := v_job.job_type; job_priority := v_job.priority; job_payload := v_job.payload::text;
    results := (select coalesce(jsonb_object_agg(p.stage, p.data), '{}'::jsonb)::text
                  from job_payloads p where p.job_id = p_job_id);
    return next;
end $$;

-- Marks the pending stages of a job strictly between two positions (or after the first, when p_to is
-- null) skipped, each with a "skipped" event, in position order.
create or replace function skip_stages_between(p_job_id uuid, p_pipeline text, p_from integer, p_to integer)
returns void
language plpgsql as $$
begin
    -- why plpgsql: its plan is kept for the session; a SQL function plans again at every call (stage_has_ready)
    with skipped as (
        update job_stages s set status = 'skipped', finished_at = now()
         where s.job_id = p_job_id and s.position > p_from and (p_to is null or s.position < p_to)
           and s.status = 'pending'
        returning s.stage, s.position)
    insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
    select p_job_id, p_pipeline, k.stage, 'skipped', 'Stage ' || k.stage || ' skipped', null
      from skipped k order by k.position;
end $$;

-- A run that answered RetryLater: its message comes back after p_delay seconds, its slot is freed, the
-- stage waits "queued" and the attempt the claim counted is given back; a "waiting" event says why.
-- One call, fenced by the lease. Returns 'waiting'; 'lost' when the lease no longer matched (nothing
-- done); 'exceeded' when the stage has been waiting in this attempt for longer than p_max_wait seconds
-- (nothing done: the caller fails the attempt instead).
create or replace function wait_stage_attempt(p_msg_id bigint, p_lease uuid, p_delivery integer, p_job_id uuid,
                                              p_pipeline text, p_stage text, p_attempt integer,
                                              p_delay double precision, p_reason text, p_max_wait double precision)
returns text
language plpgsql as $$
#variable_conflict use_column
declare
    v_since timestamptz;
    v_queue text;
begin
    -- why first: the job row before the message, the order cancel and replay use.
    perform 1 from jobs j where j.id = p_job_id for no key update;
    -- why FOR UPDATE: the lease is checked on the locked row, so nothing can take it between this
    -- check and the update below
    select q.queue_name into v_queue
      from queue_messages q where q.msg_id = p_msg_id and q.lease is not distinct from p_lease for update;
    if not found then
        return 'lost';
    end if;
    select coalesce(s.waiting_since, s.started_at, now()) into v_since
      from job_stages s where s.job_id = p_job_id and s.stage = p_stage;
    if now() + make_interval(secs => p_delay) > v_since + make_interval(secs => p_max_wait) then
        return 'exceeded';
    end if;

    update queue_messages q set vt = now() + make_interval(secs => p_delay), lease = null
     where q.msg_id = p_msg_id and q.lease is not distinct from p_lease;
    if not found then
        return 'lost';  -- cannot happen while the row is locked; kept so that no later edit forgets it
    end if;
    update stage_slots s set msg_id = null, lease = null, expires_at = null
     where s.queue_name = v_queue and s.stage = p_stage and s.lease = p_lease;
    update job_stages s
       set status = 'queued', attempt_count = greatest(s.attempt_count - 1, 0), waiting_since = v_since,
           next_retry_at = now() + make_interval(secs => p_delay),
           available_at = now() + make_interval(secs => p_delay)
     where s.job_id = p_job_id and s.stage = p_stage;
    update jobs j set status = 'queued', attempt_count = greatest(j.attempt_count - 1, 0), updated_at = now()
     where j.id = p_job_id;
    insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
    values (p_job_id, p_pipeline, p_stage, 'waiting', p_reason,
            jsonb_build_object('attempt', p_attempt, 'msg_id', p_msg_id, 'delivery', p_delivery,
                               'delay_ms', round(p_delay * 1000), 'waiting_since', v_since));
    return 'waiting';
end $$;
