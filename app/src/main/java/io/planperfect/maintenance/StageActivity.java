package io.planperfect.maintenance;

import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What each configured stage did in a recent window: stage runs completed, failed attempts,
 * retries, dead letters (from the event trail), and percentiles of the completed runs' time
 * ({@code finished_at - started_at} of the stage record).
 *
 * <p>why one lateral lookup per configured stage: job_events is the largest table, and
 * {@code job_events_stage_idx (pipeline, stage, event_type, created_at)} answers each stage's
 * window directly, where one grouped query would scan the whole trail. The index holds only these
 * four event types (V060): the event types filtered here must stay among them. A pipeline's queue carries
 * the pipeline's name (SPEC §2, "each a queue of its own"), so {@code pipeline = queue}.
 */
final class StageActivity {
  private static final String BY_STAGE = """
      select c.queue, c.stage, ev.completed, ev.errors, ev.retries, ev.dead_lettered, lat.p50, lat.p95, lat.p99
        from content_stage_config c
        cross join lateral (
          select count(*) filter (where e.event_type = 'completed') as completed,
                 count(*) filter (where e.event_type = 'error') as errors,
                 count(*) filter (where e.event_type = 'retry_scheduled') as retries,
                 count(*) filter (where e.event_type = 'dead_lettered') as dead_lettered
            from job_events e
           where e.pipeline = c.queue and e.stage = c.stage
             and e.event_type in ('completed', 'error', 'retry_scheduled', 'dead_lettered')
             and e.created_at > now() - make_interval(secs => :window)) ev
        cross join lateral (
          select percentile_cont(0.50) within group (order by r.ms) as p50,
                 percentile_cont(0.95) within group (order by r.ms) as p95,
                 percentile_cont(0.99) within group (order by r.ms) as p99
            from (select extract(epoch from s.finished_at - s.started_at)::double precision * 1000 as ms
                    from job_events e
                    join job_stages s on s.job_id = e.job_id and s.stage = e.stage
                   where e.pipeline = c.queue and e.stage = c.stage and e.event_type = 'completed'
                     and e.created_at > now() - make_interval(secs => :window)
                     and s.status = 'completed' and s.started_at is not null and s.finished_at is not null) r) lat
       order by c.queue, c.stage""";

  /** One stage's window; the percentiles (milliseconds) are null when no run completed. */
  record StageWindow(String queue, String stage, long completed, long errors, long retries, long deadLettered,
      Double p50Ms, Double p95Ms, Double p99Ms) {

    String key() {
      return queue + ":" + stage;
    }

    /** Attempts that ended: completed plus failed. */
    long attempts() {
      return completed + errors;
    }

    double failureRatePercent() {
      return attempts() == 0 ? 0 : errors * 100.0 / attempts();
    }
  }

  private StageActivity() {}

  static List<StageWindow> byStage(Handle h, Duration window) {
    return h.createQuery(BY_STAGE)
        .bind("window", window.toMillis() / 1000.0)
        .map((rs, ctx) -> new StageWindow(rs.getString("queue"), rs.getString("stage"), rs.getLong("completed"),
            rs.getLong("errors"), rs.getLong("retries"), rs.getLong("dead_lettered"), (Double) rs.getObject("p50"),
            (Double) rs.getObject("p95"), (Double) rs.getObject("p99")))
        .list();
  }
}
