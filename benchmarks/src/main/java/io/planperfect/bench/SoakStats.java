package io.planperfect.bench;

import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A soak's figures per minute, read from job_events over a time range of the server's clock:
 * jobs finished and stages completed, and the event handoff (a stage's {@code completed} to the
 * next stage's {@code processing} of the same job) grouped by the minute of the {@code completed}.
 */
final class SoakStats {
  private static final String PER_MINUTE = """
      with hops as (
        select s as from_stage, lead(s) over (order by i) as to_stage
          from unnest(cast(:stages as text[])) with ordinality as t(s, i)),
      done as (
        select floor(extract(epoch from (e.created_at - cast(:from as timestamptz))) / 60) as m,
               count(*) filter (where e.event_type = 'job_completed') as jobs,
               count(*) filter (where e.event_type = 'completed') as stages
          from job_events e
         where e.pipeline = :pipeline and e.created_at >= :from and e.created_at < :to
           and e.event_type in ('completed', 'job_completed')
         group by 1),
      handoffs as (
        select floor(extract(epoch from (c.created_at - cast(:from as timestamptz))) / 60) as m,
               extract(epoch from (p.at - c.created_at)) * 1000 as ms
          from job_events c
          join hops on hops.from_stage = c.stage and hops.to_stage is not null
          join lateral (select min(e.created_at) as at from job_events e
                         where e.job_id = c.job_id and e.stage = hops.to_stage and e.event_type = 'processing') p on true
         where c.pipeline = :pipeline and c.event_type = 'completed' and c.created_at >= :from and c.created_at < :to
           and p.at is not null),
      latency as (
        select m, count(*) as n,
               percentile_disc(0.5) within group (order by ms) as p50,
               percentile_disc(0.99) within group (order by ms) as p99
          from handoffs group by m)
      select d.m, d.jobs, d.stages, coalesce(l.n, 0) as n, coalesce(l.p50, 0) as p50, coalesce(l.p99, 0) as p99
        from done d left join latency l using (m) order by d.m""";

  private final Jdbi jdbi;

  SoakStats(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  OffsetDateTime now() {
    return jdbi.withHandle(h -> h.createQuery("select clock_timestamp()").mapTo(OffsetDateTime.class).one());
  }

  /** The whole minutes from {@code from} until {@code to}; a partial last minute is left out. */
  List<SoakMinute> perMinute(OffsetDateTime from, OffsetDateTime to) {
    return jdbi.withHandle(h -> h.createQuery(PER_MINUTE)
        .bind("stages", BenchPipeline.STAGES.toArray(String[]::new))
        .bind("pipeline", BenchPipeline.NAME)
        .bind("from", from)
        .bind("to", to)
        .map((rs, ctx) -> new SoakMinute(rs.getInt("m"), rs.getLong("jobs") / 60.0, rs.getLong("stages") / 60.0,
            rs.getLong("n"), rs.getDouble("p50"), rs.getDouble("p99")))
        .list());
  }
}
