-- Seed 000's stage configuration, and the in-flight ledger that makes max_concurrency a hard
-- limit across every node.

create table content_stage_config (
    stage              text    not null,
    queue              text    not null default 'content',
    worker_endpoint    text,
    max_concurrency    integer not null default 10 check (max_concurrency >= 0),
    trigger_batch_size integer not null default 1 check (trigger_batch_size >= 1),
    enabled            boolean not null default true,
    last_updated_at    timestamptz not null default now(),
    primary key (queue, stage)
);

-- One row per slot a stage may fill. A claim takes free slots (no lease, or a lease whose
-- message visibility has run out); an ack frees its slot in the same statement, by lease.
create table stage_slots (
    queue_name text    not null,
    stage      text    not null,
    slot       integer not null,
    msg_id     bigint,
    lease      uuid,
    expires_at timestamptz,
    primary key (queue_name, stage, slot)
) with (fillfactor = 50);
create index stage_slots_lease_idx on stage_slots (lease) where lease is not null;

create function content_stage_config_touch() returns trigger language plpgsql as $$
begin
    new.last_updated_at := now();
    return new;
end $$;

create trigger content_stage_config_touch before update on content_stage_config
    for each row execute function content_stage_config_touch();

-- A changed limit or a resumed stage may allow more claims: wake the stage's consumers.
create function content_stage_config_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('planperfect_work', new.queue || ':' || new.stage);
    return null;
end $$;

create trigger content_stage_config_changed after insert or update on content_stage_config
    for each row execute function content_stage_config_changed();

-- A freed slot lets another consumer (on any node) claim.
create function stage_slots_freed() returns trigger language plpgsql as $$
begin
    perform pg_notify('planperfect_work', new.queue_name || ':' || new.stage);
    return null;
end $$;

create trigger stage_slots_freed after update of lease on stage_slots
    for each row when (old.lease is not null and new.lease is null) execute function stage_slots_freed();

/*
 * Claims up to p_qty ready messages of one stage without ever exceeding the stage's limit
 * across all nodes. The limit is p_max_override when given (a node's environment), else
 * max_concurrency; a disabled stage, or one served by a worker_endpoint (unless this claim
 * comes through that endpoint), claims nothing.
 * why a transaction-level advisory lock: claims of one stage are serialised so that counting
 * held slots and taking free ones cannot race; it is released at commit, never held across
 * a pooler session.
 */
create function claim_stage_messages(p_queue text, p_stage text, p_visibility double precision, p_qty integer,
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

    insert into stage_slots (queue_name, stage, slot)
    select p_queue, p_stage, g from generate_series(0, v_max - 1) g
    on conflict do nothing;

    select array_agg(f.slot order by f.slot) into v_slots from (
        select s.slot from stage_slots s
         where s.queue_name = p_queue and s.stage = p_stage and (s.lease is null or s.expires_at <= now())
         order by s.slot limit v_free for update) f;
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

-- Seed 000's backlog: per stage of the content queue, ready and in-flight (plus delayed and
-- the age of the oldest ready message), for every configured stage.
create function get_content_stage_backlog()
returns table (stage text, queue text, ready_count bigint, in_flight_count bigint, delayed_count bigint,
               oldest_ready_age_sec integer, max_concurrency integer, enabled boolean)
language sql stable as $$
    select c.stage, c.queue,
           count(m.msg_id) filter (where m.vt <= now()),
           count(m.msg_id) filter (where m.vt > now() and m.lease is not null),
           count(m.msg_id) filter (where m.vt > now() and m.lease is null),
           extract(epoch from now() - min(m.enqueued_at) filter (where m.vt <= now()))::integer,
           c.max_concurrency, c.enabled
      from content_stage_config c
      left join queue_messages m on m.queue_name = c.queue and m.stage = c.stage
     where c.queue = 'content'
     group by c.stage, c.queue, c.max_concurrency, c.enabled
$$;

insert into content_stage_config (stage, queue) values
    ('research', 'content'), ('outline', 'content'), ('draft', 'content'),
    ('qa', 'content'), ('export', 'content'), ('complete', 'content'),
    ('research', 'schema'), ('generate', 'schema'), ('validate', 'schema'), ('complete', 'schema');
