-- The durable queue: pgmq semantics in two tables shared by every queue.
-- why one table for all queues: a new pipeline needs no DDL, and the claim index
-- (queue_name, stage, priority desc, msg_id) serves every queue equally.

create table queues (
    queue_name text primary key,
    created_at timestamptz not null default now()
);

-- why fillfactor 70 and no vt/lease/read_ct in any index: a claim only rewrites those
-- columns, so it stays a HOT update in the same page and the index does not churn.
create table queue_messages (
    msg_id      bigint generated always as identity primary key,
    queue_name  text        not null,
    stage       text        not null,
    job_id      uuid,
    priority    integer     not null default 0,
    enqueued_at timestamptz not null default now(),
    vt          timestamptz not null default now(),
    read_ct     integer     not null default 0,
    lease       uuid,
    message     jsonb       not null
) with (fillfactor = 70,
        autovacuum_vacuum_scale_factor = 0.02,
        autovacuum_vacuum_threshold = 500,
        autovacuum_vacuum_cost_delay = 0);

-- Matches the claim exactly: equality on queue and stage, then the claim order.
create index queue_messages_claim_idx on queue_messages (queue_name, stage, priority desc, msg_id);
create index queue_messages_job_idx on queue_messages (job_id);

create table queue_archive (
    msg_id      bigint      primary key,
    queue_name  text        not null,
    stage       text        not null,
    job_id      uuid,
    priority    integer     not null,
    enqueued_at timestamptz not null,
    vt          timestamptz not null,
    read_ct     integer     not null,
    lease       uuid,
    message     jsonb       not null,
    archived_at timestamptz not null default now()
);
create index queue_archive_queue_idx on queue_archive (queue_name, archived_at);
create index queue_archive_job_idx on queue_archive (job_id, stage);

-- Wake-ups: a message that is ready now (sent, or released / requeued to now) notifies
-- the channel with "queue:stage" only; the payload never travels over NOTIFY.
-- NOTIFY is delivered at commit and de-duplicated within a transaction.
create function queue_messages_notify() returns trigger language plpgsql as $$
begin
    if new.vt <= now() then
        perform pg_notify('planperfect_work', new.queue_name || ':' || new.stage);
    end if;
    return null;
end $$;

create trigger queue_messages_notify_insert after insert on queue_messages
    for each row execute function queue_messages_notify();
create trigger queue_messages_notify_release after update of vt on queue_messages
    for each row when (new.lease is null) execute function queue_messages_notify();
