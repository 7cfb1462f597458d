-- Projections: a pipeline's results as tables the API and operators read, derived from the stage
-- payloads. A stage's payload is written by the transaction that completes the stage, so a row
-- appears here exactly when its stage completed; handlers stay free of SQL and the hot path stays
-- one call. A new pipeline adds its view here (see docs/ARCHITECTURE.md, "Projections").

-- Finished and in-progress articles (pipeline content): one row per job whose export stage completed.
drop view if exists articles;
create view articles as
    select j.id as job_id, j.payload ->> 'title' as title, j.payload ->> 'domain' as domain,
           e.data ->> 'slug' as slug, d.data ->> 'markdown' as markdown, e.data ->> 'html' as html,
           (d.data ->> 'word_count')::integer as word_count, (q.data ->> 'passed')::boolean as qa_passed,
           e.data -> 'schema_org' as schema_org, e.data -> 'wordpress' as wordpress, e.data -> 'shopify' as shopify,
           j.status, j.requester_email, j.created_at, e.updated_at as exported_at, j.last_completed_at as completed_at
      from jobs j
      join job_payloads e on e.job_id = j.id and e.stage = 'export'
      left join job_payloads d on d.job_id = j.id and d.stage = 'draft'
      left join job_payloads q on q.job_id = j.id and q.stage = 'qa'
     where j.pipeline = 'content';

-- schema.org markup (pipeline schema): one row per job whose generate stage completed, with its validation.
drop view if exists schema_markups;
create view schema_markups as
    select j.id as job_id, j.payload ->> 'title' as title, g.data ->> 'schema_type' as schema_type,
           g.data -> 'json_ld' as json_ld, (v.data ->> 'valid')::boolean as valid,
           v.data -> 'warnings' as warnings, j.status, j.created_at, g.updated_at as generated_at
      from jobs j
      join job_payloads g on g.job_id = j.id and g.stage = 'generate'
      left join job_payloads v on v.job_id = j.id and v.stage = 'validate'
     where j.pipeline = 'schema';

-- PagePerfect's crawl requests (seed 002's crawl_jobs): one row per job whose submit_crawl completed,
-- with the outcome of wait_crawl once it has one.
drop view if exists crawl_jobs;
create view crawl_jobs as
    select (c.data ->> 'crawl_id')::uuid as id, c.job_id, (c.data ->> 'page_id')::uuid as page_id,
           c.data ->> 'url' as url, coalesce(w.data ->> 'status', c.data ->> 'status') as status,
           (w.data ->> 'http_status')::integer as http_status, w.data ->> 'final_url' as final_url,
           w.data ->> 'title' as title, (w.data ->> 'word_count')::integer as word_count,
           c.created_at as submitted_at, w.updated_at as completed_at
      from job_payloads c
      left join job_payloads w on w.job_id = c.job_id and w.stage = 'wait_crawl'
     where c.stage = 'submit_crawl' and c.pipeline = 'pageperfect';

-- PagePerfect's audits: one row per job whose gap_analysis or rewrite_draft completed.
drop view if exists page_audits;
create view page_audits as
    select j.id as job_id, (j.payload ->> 'page_id')::uuid as page_id, j.payload ->> 'url' as url,
           w.data ->> 'title' as title, s.data ->> 'embedding_model' as embedding_model,
           coalesce((g.data ->> 'page_coverage')::numeric, (r.data ->> 'page_coverage')::numeric) as page_coverage,
           g.data -> 'gaps' as gaps, r.data -> 'plan' as plan, r.data ->> 'markdown' as draft_markdown,
           r.data ->> 'writer' as writer, j.status, j.created_at, j.last_completed_at as completed_at
      from jobs j
      left join job_payloads w on w.job_id = j.id and w.stage = 'wait_crawl'
      left join job_payloads s on s.job_id = j.id and s.stage = 'segment_embed'
      left join job_payloads g on g.job_id = j.id and g.stage = 'gap_analysis'
      left join job_payloads r on r.job_id = j.id and r.stage = 'rewrite_draft'
     where j.pipeline = 'pageperfect' and (g.job_id is not null or r.job_id is not null);
