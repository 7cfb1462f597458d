-- Seed 004's generation names (issue 17): generated_pages (the pages the storage stage stored) and
-- generation_queue (seed 004's queue table), both views over the shared job tables, and the
-- priority bands they show. Repeatable: every object here in its current form.

-- The band of a priority number: HIGH from 10, LOW at -10 and below, NORMAL between
-- (Priority.java: HIGH = 10, NORMAL = 0, LOW = -10; numbers from -100 to 100 stay accepted).
create or replace function priority_label(p integer) returns text
language sql immutable as $$
    select case when p >= 10 then 'HIGH' when p <= -10 then 'LOW' else 'NORMAL' end
$$;

-- One row per generation job whose storage stage completed; id is the job's id.
drop view if exists generated_pages;
create view generated_pages as
    select j.id, j.id as job_id, j.batch_id, s.data ->> 'page_type' as page_type, s.data ->> 'target_url' as target_url,
           s.data ->> 'language' as language, s.data ->> 'slug' as slug, s.data ->> 'title' as title,
           s.data ->> 'meta_description' as meta_description, s.data ->> 'markdown' as markdown,
           s.data ->> 'html' as html, s.data -> 'json_ld' as json_ld, s.data -> 'internal_links' as internal_links,
           s.data -> 'quality' as quality, (s.data ->> 'word_count')::integer as word_count,
           j.payload ->> 'projectId' as project_id, j.status, j.created_at, s.updated_at as stored_at
      from jobs j
      join job_payloads s on s.job_id = j.id and s.stage = 'storage'
     where j.pipeline = 'generation';

-- How much of a generation job's work each stage is, in percent (the seed counted stages alike,
-- which jumps at the cheap ones); a running stage counts half.
create or replace function generation_stage_weight(p_stage text) returns integer
language sql immutable as $$
    select case p_stage when 'validation' then 5 when 'context-building' then 15 when 'component-generation' then 35
                        when 'template-assembly' then 10 when 'quality-validation' then 15
                        when 'post-processing' then 10 when 'storage' then 10 else 0 end
$$;

drop view if exists generation_queue;
create view generation_queue as
    select j.id, j.payload ->> 'projectId' as project_id,
           case when j.status in ('queued', 'scheduled') then 'pending' else j.status end as status,
           priority_label(j.priority) as priority, j.payload as config,
           (select coalesce(sum(generation_stage_weight(s.stage) * case when s.status in ('completed', 'skipped') then 1.0
                                                                      when s.status = 'processing' then 0.5 else 0 end), 0)::integer
              from job_stages s where s.job_id = j.id) as progress,
           j.stage as current_stage,
           (select jsonb_object_agg(s.stage, jsonb_build_object('status', s.status, 'attempts', s.attempt_count,
                                                                'started_at', s.started_at, 'finished_at', s.finished_at))
              from job_stages s where s.job_id = j.id) as stage_details,
           j.result,
           (select s.last_error from job_stages s where s.job_id = j.id and s.last_error is not null
             order by s.finished_at desc nulls last limit 1) as error,
           j.created_at,
           (select min(s.started_at) from job_stages s where s.job_id = j.id) as started_at,
           case when j.status = 'completed' then j.last_completed_at
                when j.status in ('failed', 'cancelled') then j.updated_at end as completed_at
      from jobs j
     where j.pipeline = 'generation';
