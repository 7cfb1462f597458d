-- Issue 17 (Story 4.4): the generation pipeline's queue and stages, priority aging per queue, and
-- batches for every pipeline. Views, functions and triggers over these tables are in
-- R__generation.sql (generated_pages, generation_queue) and R__batches.sql (the batch counters).

-- Priority aging: a waiting message's effective priority is its priority plus one level (10 points,
-- the distance between LOW, NORMAL and HIGH) for every priority_aging_seconds it has waited since it
-- was enqueued. Null or 0: no aging on that queue. The engine's claim reads it (R__stage_claims.sql).
alter table queues add column priority_aging_seconds integer not null default 300
    check (priority_aging_seconds >= 0);

insert into queues (queue_name) values ('generation') on conflict do nothing;

insert into pipelines (name, queue, seed_family) values ('generation', 'generation', 'generation')
on conflict do nothing;

insert into content_stage_config (stage, queue) values
    ('validation', 'generation'), ('context-building', 'generation'), ('component-generation', 'generation'),
    ('template-assembly', 'generation'), ('quality-validation', 'generation'), ('post-processing', 'generation'),
    ('storage', 'generation')
on conflict do nothing;

insert into stage_slots (queue_name, stage, slot)
select c.queue, c.stage, g from content_stage_config c, generate_series(0, c.max_concurrency - 1) g
 where c.queue = 'generation'
on conflict do nothing;

-- Seed 004's generation_batches, for every pipeline: the counters are kept by the engine in the same
-- transaction as each job's end (R__batches.sql), so reads never count jobs.
create table generation_batches (
    id              uuid primary key default gen_random_uuid(),
    pipeline        text        not null,
    total_jobs      integer     not null check (total_jobs >= 1),
    status          text        not null default 'processing'
        check (status in ('processing', 'completed', 'completed_with_failures', 'cancelled')),
    completed       integer     not null default 0,
    failed          integer     not null default 0,
    cancelled       integer     not null default 0,
    callback_url    text,
    cancel_requested_at timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- set once, when every job of the batch first ended (the batch_completed event is written then)
    finished_at     timestamptz
);
create index generation_batches_created_idx on generation_batches (created_at desc, id);

alter table jobs add column batch_id uuid references generation_batches (id);
-- why partial: most jobs have no batch, and the batch's job lists read (batch_id, status)
create index jobs_batch_idx on jobs (batch_id, status, created_at) where batch_id is not null;
