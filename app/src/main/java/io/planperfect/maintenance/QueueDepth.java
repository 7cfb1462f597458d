package io.planperfect.maintenance;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Per (queue, stage): messages ready, in flight, delayed, and how long the longest-waiting ready
 * message has been visible. Every configured stage appears, with zeros when it has no messages.
 *
 * <p>why the wait counts from {@code vt}, not {@code enqueued_at} (which the backlog views use):
 * a retried or delayed message keeps its enqueue time, so its age says nothing about whether
 * workers are picking messages up; the time since it became visible does.
 */
final class QueueDepth {
  private static final String BY_STAGE = """
      with depth as (
        select queue_name, stage,
               count(*) filter (where vt <= now()) as ready,
               count(*) filter (where vt > now() and lease is not null) as in_flight,
               count(*) filter (where vt > now() and lease is null) as delayed,
               extract(epoch from now() - min(vt) filter (where vt <= now()))::double precision as oldest_ready_wait
          from queue_messages group by queue_name, stage),
      stages as (
        select c.queue as queue_name, c.stage, c.enabled from content_stage_config c
        union all
        select d.queue_name, d.stage, true from depth d
         where not exists (select 1 from content_stage_config c where c.queue = d.queue_name and c.stage = d.stage))
      select s.queue_name, s.stage, s.enabled, coalesce(d.ready, 0) as ready, coalesce(d.in_flight, 0) as in_flight,
             coalesce(d.delayed, 0) as delayed, d.oldest_ready_wait
        from stages s left join depth d on d.queue_name = s.queue_name and d.stage = s.stage
       order by s.queue_name, s.stage""";

  /** One stage's depth; {@code oldestReadyWaitSeconds} is null when nothing is ready. */
  record StageDepth(String queue, String stage, boolean enabled, long ready, long inFlight, long delayed,
      Double oldestReadyWaitSeconds) {

    String key() {
      return queue + ":" + stage;
    }

    double waitSeconds() {
      return oldestReadyWaitSeconds == null ? 0 : oldestReadyWaitSeconds;
    }
  }

  private QueueDepth() {}

  static List<StageDepth> byStage(Handle h) {
    return h.createQuery(BY_STAGE)
        .map((rs, ctx) -> new StageDepth(rs.getString("queue_name"), rs.getString("stage"), rs.getBoolean("enabled"),
            rs.getLong("ready"), rs.getLong("in_flight"), rs.getLong("delayed"),
            (Double) rs.getObject("oldest_ready_wait")))
        .list();
  }
}
