-- claim_stage_messages created every slot row (an upsert of max_concurrency rows) on every call;
-- now it adds slot rows only when it finds fewer free slots than it may use.
create or replace function claim_stage_messages(p_queue text, p_stage text, p_visibility double precision, p_qty integer,
                                                p_max_override integer, p_via_endpoint boolean)
returns table (msg_id bigint, queue_name text, stage text, job_id uuid, priority integer, read_ct integer,
               enqueued_at timestamptz, vt timestamptz, lease uuid, message text, visibility_seconds integer,
               max_attempts integer, retry_delay_seconds integer)
language plpgsql as $$
declare
    v_config  content_stage_config%rowtype;
    v_max     integer;
    v_free    integer;
    v_slots   integer[];
begin
    select * into v_config from content_stage_config c where c.queue = p_queue and c.stage = p_stage;
    if not found or not v_config.enabled or (v_config.worker_endpoint is not null and not p_via_endpoint) then
        return;
    end if;
    v_max := coalesce(p_max_override, v_config.max_concurrency);
    if v_max <= 0 or p_qty <= 0 then
        return;
    end if;

    perform pg_advisory_xact_lock(hashtextextended('planperfect:claim:' || p_queue || ':' || p_stage, 0));

    select v_max - count(*) into v_free from stage_slots s
     where s.queue_name = p_queue and s.stage = p_stage and s.lease is not null and s.expires_at > now();
    v_free := least(v_free, p_qty);
    if v_free <= 0 then
        return;
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
    if v_slots is null then
        return;
    end if;

    return query
    with picked as (
        select q.msg_id from queue_messages q
         where q.queue_name = p_queue and q.stage = p_stage and q.vt <= now()
         order by q.priority desc, q.msg_id
         limit cardinality(v_slots)
         for update skip locked),
    claimed as (
        update queue_messages m
           set vt = now() + make_interval(secs => coalesce(m.visibility_seconds, p_visibility)),
               read_ct = m.read_ct + 1,
               lease = gen_random_uuid()
         where m.msg_id in (select p.msg_id from picked p)
        returning m.*),
    numbered as (
        select c.*, row_number() over (order by c.msg_id) as rn from claimed c),
    assigned as (
        update stage_slots s set msg_id = n.msg_id, lease = n.lease, expires_at = n.vt
          from numbered n
         where s.queue_name = p_queue and s.stage = p_stage and s.slot = v_slots[n.rn]
        returning s.slot)
    select n.msg_id, n.queue_name, n.stage, n.job_id, n.priority, n.read_ct, n.enqueued_at, n.vt, n.lease,
           n.message::text, n.visibility_seconds, n.max_attempts, n.retry_delay_seconds
      from numbered n;
end $$;
