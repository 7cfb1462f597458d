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
