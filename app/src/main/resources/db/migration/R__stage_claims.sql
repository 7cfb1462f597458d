-- Stage claims: a stage's global limit (reserve_stage_slots) and the engine's claim, which begins each
-- claimed message's attempt in the same transaction (claim_stage_attempts, StageClaims). Repeatable:
-- every object here in its current form; Flyway runs this file again whenever it changes. The tables
-- are in V001__queue_tables.sql, V002__job_tables.sql and V003__stage_config_and_slots.sql.
--
-- The limit is carried by the slot rows:
--   * A stage limited to N may fill only slots 0 .. N-1. A claim locks free ones with SKIP LOCKED,
--     so two claims never take the same slot and never wait for each other: at most N of those
--     slots are busy, whoever claims, on any node, at any moment.
--   * When the limit is lowered (N to M < N), slots M .. N-1 may still be busy. A claim takes
--     nothing while any slot at or above its limit is busy, so the number of busy slots only falls
--     until it is within M, and stays within it from then on.
--   * A claim locks no more free slots than the stage has ready messages (up to the quantity it
--     asks for): slots locked by a claim that cannot fill them would turn away a concurrent claim.
--
-- No claim of a stage waits for another one (p_wait is kept for the signature and has no effect),
-- provided its slot rows exist: an insert waits for a concurrent uncommitted insert of the same key.
-- So the rows are written with the stage config row (R__stage_config.sql), and a claim creates them
-- only when a node's environment override goes beyond the table's limit (its first claims then may
-- wait for each other, once). Missing rows are always inserted in ascending order, so two such
-- inserts cannot wait in a cycle.
--
-- Lock order. Every transaction that may wait for a job row takes it before any message, stage
-- or slot row of that job: cancel, both transitions, replay, the sweeper and promotion. The claim
-- cannot (it finds the job through the message), so it takes job rows with SKIP LOCKED and never
-- waits for one; a message whose job row is held elsewhere is left for a later claim. No cycle
-- of waits can therefore pass through a job row (JobLockOrderTest races cancels against claims
-- and transitions and counts the server's deadlocks).

-- Whether the stage has a ready message (visible now). why in the claim index's order and not EXISTS:
-- for EXISTS the planner may pick a sequential scan, which reads every page before the first ready row;
-- with a deep backlog that row lies far into the table (the messages before it claimed and deleted), and
-- each probe read hundreds of pages (docs/PERFORMANCE.md, "Under a deep backlog"). The index range of the
-- stage starts at its head; dead entries there are skipped once an index scan has marked them.
-- why plpgsql and not SQL: a SQL function that is not inlined plans its query again at every call (up to
-- PostgreSQL 17), and this probe runs twice per transition: its planning cost twice its execution
-- (pg_stat_statements' plans = calls). plpgsql keeps the plan for the session.
create or replace function stage_has_ready(p_queue text, p_stage text)
returns boolean
language plpgsql stable as $$
begin
    return (select q.msg_id from queue_messages q
             where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()
             order by q.priority desc, q.msg_id
             limit 1) is not null;
end $$;

-- The free slots (locked until the transaction ends) a claim of up to p_qty messages may fill, or
-- null when the stage claims nothing now: unknown, disabled, served by a worker endpoint (unless the
-- claim comes through it), limit 0, no ready message, or every slot under the limit busy or being taken.
-- p_own > 0: the caller found no ready message of the stage and is about to write p_own messages of its
-- own already claimed (a completing transaction handing its job straight on): they are what the slots
-- are for, and the ready messages are not counted.
drop function if exists reserve_stage_slots(text, text, integer, integer, boolean, boolean);
create or replace function reserve_stage_slots(p_queue text, p_stage text, p_qty integer, p_max_override integer,
                                               p_via_endpoint boolean, p_wait boolean default true,
                                               p_own integer default 0)
returns integer[]
language plpgsql as $$
declare
    v_config  content_stage_config%rowtype;
    v_max     integer;
    v_wanted  integer;
    v_slots   integer[];
begin
    select * into v_config from content_stage_config c where c.queue = p_queue and c.stage = p_stage;
    if not found or not v_config.enabled or (v_config.worker_endpoint is not null and not p_via_endpoint) then
        return null;
    end if;
    v_max := coalesce(p_max_override, v_config.max_concurrency);
    if v_max <= 0 or p_qty <= 0 then
        return null;
    end if;

    -- a lowered limit: slots above it still busy, nothing is claimed until they drain
    if exists (select 1 from stage_slots s
                where s.queue_name = p_queue and s.stage = p_stage and s.slot >= v_max
                  and s.lease is not null and s.expires_at > now()) then
        return null;
    end if;

    if p_own > 0 then
        v_wanted := least(p_own, p_qty, v_max);
    else
        select count(*) into v_wanted from (
            select 1 from queue_messages q
             where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()
             order by q.priority desc, q.msg_id  -- why: the claim index's range, never a sequential scan (stage_has_ready)
             limit least(p_qty, v_max)) r;
    end if;
    if v_wanted = 0 then
        return null;
    end if;

    if not exists (select 1 from stage_slots s where s.queue_name = p_queue and s.stage = p_stage and s.slot = v_max - 1) then
        insert into stage_slots (queue_name, stage, slot)
        select p_queue, p_stage, g from generate_series(0, v_max - 1) g
        on conflict do nothing;
    end if;

    select array_agg(f.slot order by f.slot) into v_slots from (
        select s.slot from stage_slots s
         where s.queue_name = p_queue and s.stage = p_stage and s.slot < v_max
           and (s.lease is null or s.expires_at <= now())
         order by s.slot
         limit v_wanted
           for update skip locked) f;
    return v_slots;  -- null when every slot under the limit is busy or being taken
end $$;

-- Begins an attempt of a job's stage on its rows (the job row already locked by the caller): the stage
-- row goes to 'processing' with its attempt counted and its retry settings resolved at the first attempt
-- (the job's request, the stage's config row, then the caller's defaults), and the job moves to that
-- stage. p_queued: the stage's message is written in the same transaction, already claimed
-- (a job handed straight on), so the stage row takes its queue times too. Returns no row when the stage
-- is already completed (nothing is changed then). One function for both callers, the claim and the
-- straight-on handoff, so that the two cannot drift apart.
create or replace function begin_stage_attempt(p_job_id uuid, p_queue text, p_stage text, p_queued boolean,
                                    p_requested_max_attempts integer, p_requested_retry_delay integer,
                                    p_default_max_attempts integer, p_default_retry_delay integer)
returns table (stage_position integer, attempt integer, max_attempts integer, retry_delay_seconds integer)
language plpgsql as $$
#variable_conflict use_column
begin
    return query
    with begun as (
        update job_stages s
           set status = 'processing', attempt_count = s.attempt_count + 1, started_at = now(),
               finished_at = null, last_dequeued_at = now(), next_retry_at = null,
               last_queued_at = case when p_queued then now() else s.last_queued_at end,
               available_at = case when p_queued then now() else s.available_at end,
               -- a run that never ended (its worker died) does not pass its wait on to this attempt
               waiting_since = case when s.status = 'processing' then null else s.waiting_since end,
               -- why subqueries: the config row is read only at a stage's first attempt
               max_attempts = case when s.attempt_count = 0
                   then coalesce(p_requested_max_attempts,
                                 (select c.max_attempts from content_stage_config c
                                   where c.queue = p_queue and c.stage = p_stage),
                                 p_default_max_attempts)
                   else s.max_attempts end,
               retry_delay_seconds = case when s.attempt_count = 0
                   then coalesce(p_requested_retry_delay,
                                 (select c.retry_delay_seconds from content_stage_config c
                                   where c.queue = p_queue and c.stage = p_stage),
                                 p_default_retry_delay)
                   else s.retry_delay_seconds end
         where s.job_id = p_job_id and s.stage = p_stage and s.status <> 'completed'
        returning s.position, s.attempt_count, s.max_attempts, s.retry_delay_seconds)
    select * from begun;
    if found then
        update jobs j set status = 'processing', stage = p_stage, attempt_count = j.attempt_count + 1,
                          last_queued_at = case when p_queued then now() else j.last_queued_at end,
                          last_dequeued_at = now(), updated_at = now()
         where j.id = p_job_id;
    end if;
end $$;

-- Claims up to p_qty ready messages of one stage within its limit and begins each one's attempt in
-- the same transaction: the job row locked, the stage row 'processing' with its attempt counted and
-- its retry settings resolved at the first attempt (job, config row, then the caller's defaults), the
-- job moved, a 'processing' event, and the job's inputs and earlier results returned. A message whose
-- job is finished or gone, or whose stage already completed, is archived unrun ('discarded').
create or replace function claim_stage_attempts(p_queue text, p_stage text, p_visibility double precision, p_qty integer,
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
    v_slots   integer[];
    v_used    integer := 0;
    v_ids     bigint[];
    v_id      bigint;
    v_job     record;
    v_stage   record;
    v_begun   boolean;
    v_claimed record;
    v_aging   integer;
begin
    -- why before the claim lock: most claims by a woken loop find the message already taken by a
    -- chained claim; such a claim now returns without touching the lock or the slots that the
    -- completing transactions try to take.
    if not stage_has_ready(p_queue, p_stage) then
        return;
    end if;
    v_slots := reserve_stage_slots(p_queue, p_stage, p_qty, p_max_override, p_via_endpoint, p_wait);
    if v_slots is null then
        return;
    end if;
    -- Priority with aging (issue 17): a message's effective priority is its priority plus one level
    -- (10) per queues.priority_aging_seconds it has waited since it was enqueued, so no message waits
    -- forever behind a steady stream of higher ones. why this shape: within one priority the oldest
    -- message has waited longest, so the best p_qty overall are among the first p_qty of each priority
    -- present; the priorities are found by a loose index scan (one probe of the claim index each) and
    -- each one's head is an index range in msg_id order. Still one statement and index scans only,
    -- whatever the depth (ClaimAgingTest shows the plan). Aging 0 on a queue: the plain claim order.
    select q.priority_aging_seconds into v_aging from queues q where q.queue_name = p_queue;
    if coalesce(v_aging, 0) <= 0 then
        select array_agg(p.msg_id order by p.priority desc, p.msg_id) into v_ids from (
            select q.msg_id, q.priority from queue_messages q
             where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()
             order by q.priority desc, q.msg_id
             limit cardinality(v_slots)
             for update skip locked) p;
    else
        select array_agg(c.msg_id order by c.effective desc, c.msg_id) into v_ids from (
            with recursive levels (p) as (
                (select q.priority from queue_messages q
                  where q.queue_name = p_queue and q.stage = p_stage
                  order by q.priority desc limit 1)
                union all
                select (select q.priority from queue_messages q
                         where q.queue_name = p_queue and q.stage = p_stage and q.priority < l.p
                         order by q.priority desc limit 1)
                  from levels l where l.p is not null)
            select h.msg_id, h.priority + 10 * floor(extract(epoch from now() - h.enqueued_at) / v_aging) as effective
              from levels l
             cross join lateral (
                select q.msg_id, q.priority, q.enqueued_at from queue_messages q
                 where q.queue_name = p_queue and q.stage = p_stage and q.priority = l.p and q.vt <= now()
                 order by q.msg_id
                 limit cardinality(v_slots)
                   for update skip locked) h
             where l.p is not null
             order by effective desc, h.msg_id
             limit cardinality(v_slots)) c;
    end if;
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
            select b.attempt, b.max_attempts, b.retry_delay_seconds into v_stage
              from begin_stage_attempt(v_job.id, p_queue, p_stage, false, v_job.requested_max_attempts,
                                       v_job.requested_retry_delay_seconds, p_default_max_attempts,
                                       p_default_retry_delay) b;
            v_begun := found;
        end if;

        if not v_begun then
            -- The job is finished or gone, or the stage already completed: archive the message unrun.
            return query
            with done as (
                delete from queue_messages q where q.msg_id = v_id returning q.*),
            freed as (
                update stage_slots s set msg_id = null, lease = null, expires_at = null
                  from done d
                 where s.queue_name = d.queue_name and s.stage = d.stage and s.lease = d.lease),
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
        if v_stage.attempt <= v_stage.max_attempts then
            insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
            values (v_job.id, v_job.pipeline, p_stage, 'processing', 'Stage ' || p_stage || ' started',
                    jsonb_build_object('attempt', v_stage.attempt, 'msg_id', v_id, 'delivery', v_claimed.read_ct));
        end if;

        return query
        select v_claimed.msg_id, v_claimed.queue_name, v_claimed.stage, v_claimed.job_id, v_claimed.priority,
               v_claimed.read_ct, v_claimed.enqueued_at, v_claimed.vt, v_claimed.lease, v_claimed.message::text,
               case when v_stage.attempt <= v_stage.max_attempts then 'run' else 'exhausted' end,
               v_stage.attempt, v_stage.max_attempts, v_stage.retry_delay_seconds,
               v_job.job_type, v_job.priority, v_job.payload::text,
               (select coalesce(jsonb_object_agg(p.stage, p.data), '{}'::jsonb)::text
                  from job_payloads p where p.job_id = v_job.id);
    end loop;
end $$;
