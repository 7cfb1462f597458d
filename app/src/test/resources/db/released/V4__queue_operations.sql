-- Per-message options of seed 001's enqueueJob, and counters for queue metrics.

alter table queue_messages
    add column visibility_seconds  integer,
    add column max_attempts        integer,
    add column retry_delay_seconds integer;

alter table queue_archive
    add column visibility_seconds  integer,
    add column max_attempts        integer,
    add column retry_delay_seconds integer;

-- total_messages = live + archived + removed without archive (delete, pop, purge).
alter table queues add column removed_count bigint not null default 0;

-- pgmq.queue_metrics reads the same definition as the Java API.
create or replace function pgmq.queue_metrics(p_queue text,
    out queue_name text, out queue_length bigint, out newest_msg_age_sec integer,
    out oldest_msg_age_sec integer, out total_messages bigint, out scrape_time timestamptz)
language sql stable as $$
    select p_queue,
           (select count(*) from queue_messages m where m.queue_name = p_queue),
           (select extract(epoch from now() - max(m.enqueued_at))::integer from queue_messages m where m.queue_name = p_queue),
           (select extract(epoch from now() - min(m.enqueued_at))::integer from queue_messages m where m.queue_name = p_queue),
           (select count(*) from queue_messages m where m.queue_name = p_queue)
             + (select count(*) from queue_archive a where a.queue_name = p_queue)
             + coalesce((select q.removed_count from queues q where q.queue_name = p_queue), 0),
           now()
$$;
