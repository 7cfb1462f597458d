-- Issue 5, handoff latency under load: claims of one stage no longer queue behind each other.
--
-- Until now every claim of a stage took the stage's claim lock (a transaction-level advisory lock)
-- and counted the stage's busy slots under it. The lock is released at commit, so each claim held
-- it through its commit's WAL flush, and since V16 a completing transaction that claims the next
-- stage holds it through its whole transition as well: at a hundred handoffs a second the claims of
-- a stage formed a convoy, each chained claim waited up to 5 ms for the lock and then gave the
-- job to the claim loops (the slow path). The slot rows can carry the limit by themselves:
--
--   * A stage limited to N may fill only slots 0 .. N-1. A claim locks free ones with SKIP LOCKED,
--     so two claims never take the same slot and never wait for each other: at most N of those
--     slots are busy, whoever claims, on any node, at any moment.
--   * When the limit is lowered (N to M < N), slots M .. N-1 may still be busy. A claim takes
--     nothing while any slot at or above its limit is busy, so the number of busy slots only falls
--     until it is within M, and stays within it from then on.
--   * A claim locks no more free slots than the stage has ready messages (up to the quantity it
--     asks for): slots locked by a claim that cannot fill them would turn away a concurrent claim.
--
-- No claim of a stage waits for another one any more (p_wait is kept for the signature and has no
-- effect), provided its slot rows exist: an insert waits for a concurrent uncommitted insert of the
-- same key. So the rows are now written with the stage config row (a trigger on its insert and on
-- every change of max_concurrency), and a claim creates them only when a node's environment
-- override goes beyond the table's limit (its first claims then may wait for each other, once).
-- Missing rows are always inserted in ascending order, so two such inserts cannot wait in a cycle.

create function content_stage_config_slots() returns trigger
language plpgsql as $$
begin
    insert into stage_slots (queue_name, stage, slot)
    select new.queue, new.stage, g from generate_series(0, new.max_concurrency - 1) g
    on conflict do nothing;
    return null;
end $$;

create trigger content_stage_config_slots after insert or update of max_concurrency on content_stage_config
    for each row execute function content_stage_config_slots();

insert into stage_slots (queue_name, stage, slot)
select c.queue, c.stage, g from content_stage_config c, generate_series(0, c.max_concurrency - 1) g
on conflict do nothing;

create or replace function reserve_stage_slots(p_queue text, p_stage text, p_qty integer, p_max_override integer,
                                               p_via_endpoint boolean, p_wait boolean default true)
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

    select count(*) into v_wanted from (
        select 1 from queue_messages q
         where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()
         limit least(p_qty, v_max)) r;
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
