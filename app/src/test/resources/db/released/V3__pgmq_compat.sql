-- Seed 001's queue-health queries name pgmq objects; these views and the function answer
-- them from PlanPerfect's own queue tables.
create schema if not exists pgmq;

create view pgmq.content_queue as
    select msg_id, read_ct, enqueued_at, vt, message, stage, priority, job_id
    from queue_messages where queue_name = 'content';

create view pgmq.content_archive as
    select msg_id, read_ct, enqueued_at, archived_at, vt, message, stage, priority, job_id
    from queue_archive where queue_name = 'content';

create function pgmq.queue_metrics(p_queue text,
    out queue_name text, out queue_length bigint, out newest_msg_age_sec integer,
    out oldest_msg_age_sec integer, out total_messages bigint, out scrape_time timestamptz)
language sql stable as $$
    select p_queue,
           (select count(*) from queue_messages m where m.queue_name = p_queue),
           (select extract(epoch from now() - max(m.enqueued_at))::integer from queue_messages m where m.queue_name = p_queue),
           (select extract(epoch from now() - min(m.enqueued_at))::integer from queue_messages m where m.queue_name = p_queue),
           (select count(*) from queue_messages m where m.queue_name = p_queue)
             + (select count(*) from queue_archive a where a.queue_name = p_queue),
           now()
$$;

insert into queues (queue_name) values ('content'), ('schema');
