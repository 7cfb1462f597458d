package io.planperfect.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads a run's figures from job_events (timestamps are clock_timestamp(), taken inside the
 * transactions that wrote them): the handoff from one stage's {@code completed} to the next
 * stage's {@code processing}, the job from first {@code queued} to {@code job_completed}, and
 * the rate of stage and job completions.
 */
final class PipelineStats {
  private static final String SUMMARY = """
      select count(*) as n,
             coalesce(percentile_disc(0.5) within group (order by ms), 0) as p50,
             coalesce(percentile_disc(0.99) within group (order by ms), 0) as p99,
             coalesce(max(ms), 0) as max
        from samples""";

  // why: lateral min() per job and stage uses job_events_job_idx and stays correct if a stage ran twice.
  private static final String HANDOFFS = """
      with samples as (
        select extract(epoch from (p.at - c.created_at)) * 1000 as ms
          from job_events c
          join unnest(cast(:from as text[]), cast(:to as text[])) as hop(from_stage, to_stage) on hop.from_stage = c.stage
          join lateral (select min(e.created_at) as at from job_events e
                         where e.job_id = c.job_id and e.stage = hop.to_stage and e.event_type = 'processing') p on true
         where c.event_type = 'completed' and c.job_id = any(:ids) and p.at is not null)
      """ + SUMMARY;

  // why: a tail made of a few stalls (a checkpoint, autovacuum) reads differently from one spread
  // over the whole run; the windows are counted from the run's first event.
  private static final String HANDOFFS_BY_WINDOW = """
      with start as (select min(created_at) as at from job_events where job_id = any(:ids)),
      samples as (
        select floor(extract(epoch from (c.created_at - start.at)) / :window) as w,
               extract(epoch from (p.at - c.created_at)) * 1000 as ms
          from start, job_events c
          join unnest(cast(:from as text[]), cast(:to as text[])) as hop(from_stage, to_stage) on hop.from_stage = c.stage
          join lateral (select min(e.created_at) as at from job_events e
                         where e.job_id = c.job_id and e.stage = hop.to_stage and e.event_type = 'processing') p on true
         where c.event_type = 'completed' and c.job_id = any(:ids) and p.at is not null)
      select w, count(*) as n,
             percentile_disc(0.5) within group (order by ms) as p50,
             percentile_disc(0.99) within group (order by ms) as p99,
             max(ms) as max
        from samples group by w order by w""";

  // why: pg_stat_checkpointer is PostgreSQL 17's; before it the counts were in pg_stat_bgwriter.
  private static final String CHECKPOINTS_17 = "select num_timed + num_requested from pg_stat_checkpointer";
  private static final String CHECKPOINTS_OLD = "select checkpoints_timed + checkpoints_req from pg_stat_bgwriter";

  // why: a claim sets vt = now() + visibility, so the archived message tells when it was claimed;
  // that splits a handoff into "until the next stage's claim" and "from claim to processing".
  private static final String HANDOFF_PARTS = """
      with hops as (
        select extract(epoch from (a.vt - make_interval(secs => coalesce(a.visibility_seconds, :visibility))
                                   - c.created_at)) * 1000 as to_claim,
               extract(epoch from (p.at - (a.vt - make_interval(secs => coalesce(a.visibility_seconds, :visibility))))) * 1000
                 as claim_to_processing
          from job_events c
          join unnest(cast(:from as text[]), cast(:to as text[])) as hop(from_stage, to_stage) on hop.from_stage = c.stage
          join lateral (select min(e.created_at) as at from job_events e
                         where e.job_id = c.job_id and e.stage = hop.to_stage and e.event_type = 'processing') p on true
          join queue_archive a on a.job_id = c.job_id and a.stage = hop.to_stage
         where c.event_type = 'completed' and c.job_id = any(:ids) and p.at is not null)
      select coalesce(percentile_disc(0.5) within group (order by to_claim), 0) as to_claim_p50,
             coalesce(percentile_disc(0.99) within group (order by to_claim), 0) as to_claim_p99,
             coalesce(percentile_disc(0.5) within group (order by claim_to_processing), 0) as processing_p50,
             coalesce(percentile_disc(0.99) within group (order by claim_to_processing), 0) as processing_p99,
             -- a chained claim (V16) ran in the completing transaction, which began before its completed event
             coalesce(avg(case when to_claim < 0 then 1.0 else 0.0 end), 0) as chained_share
        from hops""";

  private static final String END_TO_END = """
      with samples as (
        select extract(epoch from (max(created_at) filter (where event_type = 'job_completed')
                                   - min(created_at) filter (where event_type = 'queued'))) * 1000 as ms
          from job_events where job_id = any(:ids)
         group by job_id
        having count(*) filter (where event_type = 'job_completed') > 0)
      """ + SUMMARY;

  private static final String THROUGHPUT = """
      select count(*) filter (where event_type = 'completed') as stage_completions,
             count(*) filter (where event_type = 'job_completed') as jobs_completed,
             coalesce(extract(epoch from (max(created_at) filter (where event_type = 'job_completed')
                                          - min(created_at) filter (where event_type = 'queued'))), 0) as seconds
        from job_events where job_id = any(:ids)""";

  private final Jdbi jdbi;
  private final Duration visibility;

  /** {@code visibility} is the node's visibility timeout, which claims add to now(). */
  PipelineStats(Jdbi jdbi, Duration visibility) {
    this.jdbi = jdbi;
    this.visibility = visibility;
  }

  LatencySummary handoffs(List<UUID> jobs, List<String> stages) {
    String[] from = stages.subList(0, stages.size() - 1).toArray(String[]::new);
    String[] to = stages.subList(1, stages.size()).toArray(String[]::new);
    return jdbi.withHandle(h -> h.createQuery(HANDOFFS)
        .bind("from", from).bind("to", to).bind("ids", jobs.toArray(UUID[]::new))
        .map((rs, ctx) -> summary(rs)).one());
  }

  /**
   * The handoff in two parts, read from the archived messages: completed event to the next
   * stage's claim (the completing commit and the claim loop's wake-up), and claim to the
   * processing event (claim commit, runner start, begin transaction).
   */
  HandoffParts handoffParts(List<UUID> jobs, List<String> stages) {
    String[] from = stages.subList(0, stages.size() - 1).toArray(String[]::new);
    String[] to = stages.subList(1, stages.size()).toArray(String[]::new);
    return jdbi.withHandle(h -> h.createQuery(HANDOFF_PARTS)
        .bind("from", from).bind("to", to).bind("ids", jobs.toArray(UUID[]::new))
        .bind("visibility", (double) visibility.toSeconds())
        .map((rs, ctx) -> new HandoffParts(rs.getDouble("to_claim_p50"), rs.getDouble("to_claim_p99"),
            rs.getDouble("processing_p50"), rs.getDouble("processing_p99"), rs.getDouble("chained_share")))
        .one());
  }

  /** The event handoff per window of {@code window} from the run's first event, in order. */
  List<WindowedHandoffs> handoffsByWindow(List<UUID> jobs, List<String> stages, Duration window) {
    String[] from = stages.subList(0, stages.size() - 1).toArray(String[]::new);
    String[] to = stages.subList(1, stages.size()).toArray(String[]::new);
    return jdbi.withHandle(h -> h.createQuery(HANDOFFS_BY_WINDOW)
        .bind("from", from).bind("to", to).bind("ids", jobs.toArray(UUID[]::new))
        .bind("window", (double) window.toSeconds())
        .map((rs, ctx) -> new WindowedHandoffs(rs.getLong("w") * window.toSeconds(), summary(rs)))
        .list());
  }

  /**
   * The latest autovacuum and autoanalyze of each table that had one, as seconds after {@code since}
   * (negative: before it), e.g. "jobs vacuum +41.2 s".
   */
  List<String> autovacuumsSince(Instant since) {
    return jdbi.withHandle(h -> h.createQuery("""
            select relname || ' ' || kind || ' ' || to_char(extract(epoch from (at - cast(:since as timestamptz))), 'SG990.0') || ' s'
              from pg_stat_user_tables,
                   lateral (values ('vacuum', last_autovacuum), ('analyze', last_autoanalyze)) as v(kind, at)
             where at is not null
             order by at""")
        .bind("since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
        .mapTo(String.class).list());
  }

  /** Checkpoints the server has begun since its statistics were reset. */
  long checkpoints() {
    return jdbi.withHandle(h -> {
      boolean v17 = h.createQuery("select to_regclass('pg_catalog.pg_stat_checkpointer') is not null")
          .mapTo(Boolean.class).one();
      return h.createQuery(v17 ? CHECKPOINTS_17 : CHECKPOINTS_OLD).mapTo(Long.class).one();
    });
  }

  LatencySummary endToEnd(List<UUID> jobs) {
    return jdbi.withHandle(h -> h.createQuery(END_TO_END)
        .bind("ids", jobs.toArray(UUID[]::new))
        .map((rs, ctx) -> summary(rs)).one());
  }

  /** Completions between the run's first queued event and its last job_completed event. */
  Throughput throughput(List<UUID> jobs) {
    return jdbi.withHandle(h -> h.createQuery(THROUGHPUT)
        .bind("ids", jobs.toArray(UUID[]::new))
        .map((rs, ctx) -> new Throughput(rs.getLong("stage_completions"), rs.getLong("jobs_completed"), rs.getDouble("seconds")))
        .one());
  }

  private static LatencySummary summary(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new LatencySummary(rs.getLong("n"), rs.getDouble("p50"), rs.getDouble("p99"), rs.getDouble("max"));
  }

  /** The event handoffs whose completed event fell in the window starting {@code fromSecond}. */
  record WindowedHandoffs(long fromSecond, LatencySummary latency) {}

  /** Percentiles in milliseconds of the two parts of a handoff. */
  /** chainedShare: the share of handoffs whose next stage was claimed by the completing transaction itself. */
  record HandoffParts(double toClaimP50, double toClaimP99, double claimToProcessingP50, double claimToProcessingP99,
      double chainedShare) {}

  /** Stage and job completions over the run's span in seconds (first queued to last job_completed). */
  record Throughput(long stageCompletions, long jobsCompleted, double seconds) {
    double stageCompletionsPerSecond() {
      return seconds > 0 ? stageCompletions / seconds : 0;
    }

    double jobsPerSecond() {
      return seconds > 0 ? jobsCompleted / seconds : 0;
    }
  }
}
