package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The scheduler as the HTTP API shows it, in seed 003's shapes, built in SQL from the same
 * management functions an operator calls by hand ({@code manage_cron_jobs()},
 * {@code get_cron_job_status()}, {@code get_scheduler_health()}).
 */
public final class SchedulerReads {
  private static final String JOB_JSON = """
      jsonb_build_object('job_name', m.jobname, 'schedule', m.schedule, 'command', m.command, 'active', m.active,
                         'last_run', m.last_run, 'next_run', m.next_run, 'timeout_seconds', m.timeout_seconds,
                         'description', m.description)""";

  private final Jdbi jdbi;

  public SchedulerReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Seed 003's {@code action=jobs} data: {@code {jobs:[...], count}}. */
  public ObjectNode jobs() {
    return object("select jsonb_build_object('jobs', coalesce(jsonb_agg(" + JOB_JSON + " order by m.jobname), '[]'::jsonb),"
        + " 'count', count(*))::text from manage_cron_jobs() m");
  }

  /** Seed 003's {@code action=status} data. A job counts as failed when its latest finished run did not succeed. */
  public ObjectNode status() {
    return object("""
        select jsonb_build_object(
                 'total_jobs', count(*),
                 'active_jobs', count(*) filter (where s.active),
                 'failed_jobs', count(*) filter (where s.last_status in ('failed', 'timeout', 'abandoned')),
                 'running_jobs', count(*) filter (where s.running),
                 'last_run', max(s.last_run),
                 'next_run', min(s.next_run) filter (where s.active))::text
          from get_cron_job_status() s""");
  }

  /** Seed 003's {@code action=health} data: per job, and a summary whose overall_health is the share of active jobs that are healthy. */
  public ObjectNode health() {
    return object("""
        select jsonb_build_object(
                 'health', coalesce(jsonb_agg(jsonb_build_object(
                     'component', h.component, 'status', h.status, 'last_run', h.last_run, 'next_run', h.next_run,
                     'error_count', h.error_count, 'success_rate', h.success_rate) order by h.component), '[]'::jsonb),
                 'summary', jsonb_build_object(
                     'total_jobs', count(*),
                     'healthy_jobs', count(*) filter (where h.status = 'healthy'),
                     'inactive_jobs', count(*) filter (where h.status = 'inactive'),
                     'overall_health', case when count(*) filter (where h.status <> 'inactive') = 0 then 100.0
                         else round(count(*) filter (where h.status = 'healthy') * 100.0
                                    / count(*) filter (where h.status <> 'inactive'), 1) end))::text
          from get_scheduler_health() h""");
  }

  /** One job with its latest runs. */
  public Optional<ObjectNode> job(String name, int runs) {
    return jdbi.withHandle(h -> h.createQuery("select (" + JOB_JSON + ")::text from manage_cron_jobs() m where m.jobname = :name")
        .bind("name", name).mapTo(String.class).findOne()
        .map(text -> {
          ObjectNode job = (ObjectNode) Json.read(text);
          job.set("runs", runs(name, runs));
          return job;
        }));
  }

  /** The latest runs of a job, newest first. */
  public ArrayNode runs(String name, int limit) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery("""
            select coalesce(jsonb_agg(jsonb_build_object(
                     'id', r.id, 'job_id', r.job_id, 'status', r.status, 'started_at', r.started_at,
                     'completed_at', r.completed_at, 'processing_time_ms', r.processing_time_ms,
                     'error_message', r.error_message, 'scheduled_for', r.scheduled_for, 'node_id', r.node_id,
                     'metadata', r.metadata) order by r.started_at desc, r.id desc), '[]'::jsonb)::text
              from (select * from job_runs where job_id = :name order by started_at desc, id desc limit :limit) r""")
        .bind("name", name).bind("limit", limit).mapTo(String.class).one()));
  }

  private ObjectNode object(String sql) {
    return jdbi.withHandle(h -> (ObjectNode) Json.read(h.createQuery(sql).mapTo(String.class).one()));
  }
}
