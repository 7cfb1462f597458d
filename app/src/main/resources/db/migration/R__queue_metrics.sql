-- Queue metrics: how much a queue holds, in pgmq's shape and per stage. The queue operations
-- themselves are statements in queue/MessageQueue and queue/QueueAdmin.
-- Repeatable: every object here in its current form (create or replace); Flyway runs this file again
-- whenever it changes. The tables are in V001__queue_tables.sql and V003__stage_config_and_slots.sql.

-- Seed 001's pgmq.queue_metrics(queue), also read by QueueAdmin (the Java API): total_messages =
-- live + archived + removed without archive (delete, pop, purge).
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

-- Per stage of one queue, for every configured stage: ready and in-flight messages (plus delayed and
-- the age of the oldest ready message), the stage's limit and whether it is enabled. Seed 000's
-- get_content_stage_backlog() is this for the content queue (R__seed_views.sql).
create or replace function stage_backlog(p_queue text)
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
     where c.queue = p_queue
     group by c.stage, c.queue, c.max_concurrency, c.enabled
$$;
