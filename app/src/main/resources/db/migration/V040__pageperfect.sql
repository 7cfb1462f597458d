-- Issue 16: seed 002's PagePerfect pipeline on the shared tables. Its seed names (pageperfect_jobs,
-- v_pageperfect_job_status, get_pageperfect_stage_backlog(), ...) are views in R__seed_views.sql; the
-- crawl requests it records are the crawl_jobs view in R__projections.sql.

-- The pages PagePerfect audits: one row per normalised URL, resolved or created by the intake of a
-- job (a url), or named by it (a pageId).
create table pages (
    id          uuid primary key default gen_random_uuid(),
    url         text not null unique,
    last_job_id uuid references jobs (id) on delete set null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

insert into pipelines (name, queue, seed_family) values ('pageperfect', 'pageperfect', 'pageperfect');

insert into queues (queue_name) values ('pageperfect') on conflict do nothing;

-- Seed 002's dispatcher config: the six stages on queue pageperfect (crawls fewer at once).
insert into content_stage_config (stage, queue, max_concurrency) values
    ('submit_crawl', 'pageperfect', 5), ('wait_crawl', 'pageperfect', 5), ('segment_embed', 'pageperfect', 4),
    ('keyword_clustering', 'pageperfect', 4), ('gap_analysis', 'pageperfect', 4), ('rewrite_draft', 'pageperfect', 4);

-- what the content_stage_config_slots trigger writes for each row above (on a new database it runs
-- after this file, with the other R__ files)
insert into stage_slots (queue_name, stage, slot)
select c.queue, c.stage, g from content_stage_config c, generate_series(0, c.max_concurrency - 1) g
 where c.queue = 'pageperfect'
on conflict do nothing;

-- Seed 002's tuning (UPDATE pageperfect_job_stages SET max_attempts = …, retry_delay_seconds = …): set
-- when an operator changes a stage's retry settings, so the stage's first claim keeps them instead of
-- resolving its own (R__job_tuning.sql).
alter table job_stages add column operator_tuned boolean not null default false;
