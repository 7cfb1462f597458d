package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.planperfect.json.Json;
import org.jdbi.v3.core.Jdbi;

/**
 * What the pipelines did in the last hour, read from the event trail: per stage, the attempts
 * completed and the jobs dead-lettered; per minute, the stages and jobs completed (throughput) and
 * the handoff latency (from one stage's completion to the next stage's start in the same job).
 */
public final class ActivityReads {
  private final Jdbi jdbi;

  public ActivityReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** [{pipeline, stage, done, dead}] for the last hour. */
  public ArrayNode lastHourByStage() {
    return array("""
        select coalesce(jsonb_agg(a order by a.pipeline, a.stage), '[]'::jsonb)::text from (
          select pipeline, stage,
                 count(*) filter (where event_type = 'completed') as done,
                 count(*) filter (where event_type = 'dead_lettered') as dead
            from job_events
           where created_at > now() - interval '1 hour' and stage is not null
             and event_type in ('completed', 'dead_lettered')
           group by pipeline, stage) a""");
  }

  private static final String LAST_HOUR_MINUTES = """
      select generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()),
                             interval '1 minute') as minute""";

  /** [{minute, stages_completed, jobs_completed}] for each of the last 60 minutes (zero when idle). */
  public ArrayNode throughputPerMinute() {
    return array("""
        select jsonb_agg(jsonb_build_object('minute', m.minute, 'stages_completed', coalesce(t.stages_completed, 0),
                                            'jobs_completed', coalesce(t.jobs_completed, 0)) order by m.minute)::text
          from (%s) m
          left join (
          select date_trunc('minute', created_at) as minute,
                 count(*) filter (where event_type = 'completed') as stages_completed,
                 count(*) filter (where event_type = 'job_completed') as jobs_completed
            from job_events
           where created_at > now() - interval '1 hour' and event_type in ('completed', 'job_completed')
           group by 1) t on t.minute = m.minute""".formatted(LAST_HOUR_MINUTES));
  }

  /**
   * [{minute, handoffs, avg_ms, max_ms}] for each of the last 60 minutes (null latencies when none):
   * a stage's start after the previous stage of its job completed.
   */
  public ArrayNode handoffLatencyPerMinute() {
    return array("""
        select jsonb_agg(jsonb_build_object('minute', m.minute, 'handoffs', coalesce(l.handoffs, 0), 'avg_ms', l.avg_ms,
                                            'max_ms', l.max_ms) order by m.minute)::text
          from (%s) m
          left join (
          select date_trunc('minute', created_at) as minute, count(*) as handoffs,
                 round(avg(extract(epoch from created_at - previous_at) * 1000)::numeric, 1) as avg_ms,
                 round(max(extract(epoch from created_at - previous_at) * 1000)::numeric, 1) as max_ms
            from (select created_at, event_type,
                         lag(event_type) over w as previous_type, lag(created_at) over w as previous_at
                    from job_events
                   where created_at > now() - interval '1 hour' and event_type in ('completed', 'processing')
                  window w as (partition by job_id order by seq)) e
           where e.event_type = 'processing' and e.previous_type = 'completed'
           group by 1) l on l.minute = m.minute""".formatted(LAST_HOUR_MINUTES));
  }

  private ArrayNode array(String sql) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery(sql).mapTo(String.class).one()));
  }
}
