-- Seed 003's scheduler: the management functions with the seed's names, and the trigger that keeps
-- scheduler_jobs' timestamps. Repeatable: every object here in its current form; Flyway runs this
-- file again whenever it changes. The tables are in V005__scheduler_tables.sql, the seed's jobs in
-- V006__seed_rows.sql (the same rows initialize_scheduler() restores).

create or replace function scheduler_jobs_touch() returns trigger language plpgsql as $$
begin
    new.updated_at := now();
    -- why: a new schedule, or a job switched back on, starts from its next tick after now, not
    -- from the ticks it missed (whether changed by SQL, toggle_cron_job or the API).
    if new.schedule is distinct from old.schedule or (new.enabled and not old.enabled) then
        new.next_run_at := null;
    end if;
    return new;
end $$;

drop trigger if exists scheduler_jobs_touch on scheduler_jobs;
create trigger scheduler_jobs_touch before update on scheduler_jobs
    for each row execute function scheduler_jobs_touch();

-- Management, with seed 003's function names.

create or replace function manage_cron_jobs()
returns table (jobname text, schedule text, command text, active boolean, last_run timestamptz,
               next_run timestamptz, timeout_seconds integer, description text)
language sql stable as $$
    select j.name, j.schedule, j.command, j.enabled, j.last_run_at, j.next_run_at, j.timeout_seconds, j.description
      from scheduler_jobs j order by j.name
$$;

create or replace function get_cron_job_status()
returns table (jobname text, schedule text, active boolean, last_run timestamptz, last_status text,
               next_run timestamptz, total_runs bigint, failed_runs bigint, running boolean)
language sql stable as $$
    select j.name, j.schedule, j.enabled, j.last_run_at,
           (select r.status from job_runs r where r.job_id = j.name order by r.started_at desc, r.id desc limit 1),
           j.next_run_at,
           (select count(*) from job_runs r where r.job_id = j.name),
           (select count(*) from job_runs r where r.job_id = j.name and r.status in ('failed', 'timeout', 'abandoned')),
           exists (select 1 from job_runs r where r.job_id = j.name and r.status = 'running')
      from scheduler_jobs j order by j.name
$$;

-- Health per job over the last 24 hours: success rate of finished runs; a job whose last run
-- failed is unhealthy, one under 90% degraded, a disabled one inactive.
create or replace function get_scheduler_health()
returns table (component text, status text, last_run timestamptz, next_run timestamptz, error_count bigint,
               success_rate numeric)
language sql stable as $$
    with recent as (
        select r.job_id,
               count(*) filter (where r.status <> 'running') as finished,
               count(*) filter (where r.status = 'success') as succeeded,
               count(*) filter (where r.status in ('failed', 'timeout', 'abandoned')) as errors
          from job_runs r where r.started_at > now() - interval '24 hours'
         group by r.job_id
    )
    select j.name,
           case when not j.enabled then 'inactive'
                when lf.status is not null and lf.status <> 'success' then 'unhealthy'
                -- a job that should have run two minutes ago and has not, or a run past its timeout
                when j.next_run_at < now() - interval '2 minutes' then 'unhealthy'
                when exists (select 1 from job_runs r where r.job_id = j.name and r.status = 'running'
                              and r.started_at < now() - make_interval(secs => j.timeout_seconds + 60)) then 'unhealthy'
                when coalesce(rc.finished, 0) > 0 and rc.succeeded * 100.0 / rc.finished < 90 then 'degraded'
                else 'healthy' end,
           j.last_run_at, j.next_run_at, coalesce(rc.errors, 0),
           case when coalesce(rc.finished, 0) = 0 then 100.0
                else round(rc.succeeded * 100.0 / rc.finished, 1) end
      from scheduler_jobs j
      left join recent rc on rc.job_id = j.name
      left join lateral (select r.status from job_runs r where r.job_id = j.name and r.status <> 'running'
                          order by r.started_at desc, r.id desc limit 1) lf on true
     order by j.name
$$;

create or replace function toggle_cron_job(job_name text, enable boolean)
returns table (success boolean, message text)
language plpgsql as $$
begin
    if enable is null then
        return query select false, 'enable must be true or false';
        return;
    end if;
    update scheduler_jobs j set enabled = enable where j.name = job_name;
    if not found then
        return query select false, 'Job not found: ' || job_name;
        return;
    end if;
    return query select true, (case when enable then 'Job enabled: ' else 'Job disabled: ' end) || job_name;
end $$;

-- Asks the running nodes to run a job now; the first node to see the request runs it once.
create or replace function request_scheduler_run(job_name text)
returns jsonb language plpgsql as $$
declare
    v_action text;
begin
    update scheduler_jobs j set trigger_requested_at = clock_timestamp()
     where j.name = job_name returning j.action into v_action;
    if not found then
        raise exception 'scheduler job not found: %', job_name using errcode = 'no_data_found';
    end if;
    return jsonb_build_object('job_name', job_name, 'function', v_action, 'status', 'requested');
end $$;

create or replace function trigger_dispatcher() returns jsonb language sql as $$
    select request_scheduler_run('planperfect-content-queue-dispatcher') $$;
create or replace function trigger_content_automation() returns jsonb language sql as $$
    select request_scheduler_run('content_pipeline_main') $$;
create or replace function trigger_sweeper() returns jsonb language sql as $$
    select request_scheduler_run('content_pipeline_sweeper') $$;
create or replace function trigger_monitoring() returns jsonb language sql as $$
    select request_scheduler_run('content_pipeline_monitor') $$;
create or replace function trigger_metrics_collection() returns jsonb language sql as $$
    select request_scheduler_run('content_pipeline_metrics') $$;
create or replace function trigger_health_checks() returns jsonb language sql as $$
    select request_scheduler_run('content_pipeline_health') $$;
create or replace function trigger_cleanup() returns jsonb language sql as $$
    select request_scheduler_run('content_pipeline_cleanup') $$;

-- Inserts any of the seed's jobs that is missing (all of them, the first time) and reports every job's state.
create or replace function initialize_scheduler()
returns table (job_name text, schedule text, active boolean, status text, message text)
language plpgsql as $$
begin
    insert into scheduler_jobs (name, schedule, action, command, description, timeout_seconds) values
        ('planperfect-content-queue-dispatcher', '*/1 * * * *', 'trigger_dispatcher', 'SELECT trigger_dispatcher();',
         'Dispatch cycle (beside the continuous loop)', 60),
        ('content_pipeline_main', '*/5 * * * *', 'trigger_content_automation', 'SELECT trigger_content_automation();',
         'Main content automation: promote scheduled jobs, repair jobs whose message went missing', 300),
        ('content_pipeline_sweeper', '*/15 * * * *', 'trigger_sweeper', 'SELECT trigger_sweeper();',
         'Clean up stale jobs', 300),
        ('content_pipeline_monitor', '0 * * * *', 'trigger_monitoring', 'SELECT trigger_monitoring();',
         'System monitoring and alerts', 300),
        ('content_pipeline_metrics', '*/30 * * * *', 'trigger_metrics_collection', 'SELECT trigger_metrics_collection();',
         'Metrics collection', 300),
        ('content_pipeline_health', '*/10 * * * *', 'trigger_health_checks', 'SELECT trigger_health_checks();',
         'Health checks', 120),
        ('content_pipeline_cleanup', '0 2 * * *', 'trigger_cleanup', 'SELECT trigger_cleanup();',
         'Data cleanup', 1800)
    on conflict (name) do nothing;
    return query
        select j.name, j.schedule, j.enabled,
               case when not j.enabled then 'inactive'
                    when (select count(*) from cluster_nodes n where n.last_seen_at > now() - interval '30 seconds') = 0
                        then 'waiting'
                    else 'scheduled' end,
               case when not j.enabled then 'disabled'
                    when (select count(*) from cluster_nodes n where n.last_seen_at > now() - interval '30 seconds') = 0
                        then 'no PlanPerfect node is running: runs start when one starts'
                    else 'next run ' || coalesce(to_char(j.next_run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                                 'being computed') end
          from scheduler_jobs j order by j.name;
end $$;
