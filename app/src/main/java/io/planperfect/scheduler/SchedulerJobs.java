package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of scheduler_jobs and job_runs. Claims are compare-and-sets: a scheduled run is claimed
 * by moving the job's next_run_at from the due time the node saw to the following one, a manual
 * run by clearing the trigger_requested_at it saw; the run's job_runs row is written by the same
 * statement, so a claim and its record commit together or not at all.
 */
public final class SchedulerJobs {
  /** Rows read with the database's clock, so that nodes with skewed clocks agree on what is due. */
  public record Snapshot(Instant now, List<SchedulerJob> jobs) {}

  private static final String LOAD = """
      select name, schedule, action, enabled, timeout_seconds, next_run_at, trigger_requested_at,
             clock_timestamp() as db_now
        from scheduler_jobs order by name""";

  private static final String SET_FIRST_NEXT_RUN = """
      update scheduler_jobs set next_run_at = cast(:next as timestamptz) where name = :name and next_run_at is null and enabled""";

  private static final String CLAIM_SCHEDULED = """
      with claimed as (
          update scheduler_jobs j set next_run_at = cast(:next as timestamptz), last_run_at = clock_timestamp()
           where j.name = :name and j.enabled and j.next_run_at = cast(:due as timestamptz)
             and not exists (select 1 from job_runs r where r.job_id = j.name and r.status = 'running')
          returning j.name, j.action)
      insert into job_runs (job_id, status, scheduled_for, node_id, metadata)
      select name, 'running', cast(:due as timestamptz), :node,
             jsonb_build_object('trigger_type', 'scheduled', 'function', action, 'node', :node,
                                'scheduled_for', cast(:due as timestamptz), 'missed_ticks_skipped', :skipped)
        from claimed
      -- why: a due time that already has a run (next_run_at set back by hand, a clock stepped back)
      -- moves the job on without a second run instead of failing every pass.
      on conflict (job_id, scheduled_for) where scheduled_for is not null do nothing
      returning id""";

  private static final String CLAIM_MANUAL = """
      with claimed as (
          update scheduler_jobs j set trigger_requested_at = null, last_run_at = clock_timestamp()
           where j.name = :name and j.trigger_requested_at = cast(:requested as timestamptz)
             and not exists (select 1 from job_runs r where r.job_id = j.name and r.status = 'running')
          returning j.name, j.action)
      insert into job_runs (job_id, status, node_id, metadata)
      select name, 'running', :node,
             jsonb_build_object('trigger_type', 'manual', 'function', action, 'node', :node, 'requested_at', cast(:requested as timestamptz))
        from claimed
      returning id""";

  private static final String FINISH = """
      update job_runs set status = :status, completed_at = clock_timestamp(),
             processing_time_ms = :ms, error_message = :error, metadata = metadata || cast(:extra as jsonb)
       where id = :id and status = 'running'""";

  // why the second condition: a run whose end could not be recorded (the database was away at
  // that moment) must not hold its job forever just because its node is still alive.
  private static final String ABANDON_ORPHANED_RUNS = """
      update job_runs r set status = 'abandoned', completed_at = clock_timestamp(),
             error_message = case when exists (select 1 from cluster_nodes n where n.node_id = r.node_id
                                                  and n.last_seen_at > clock_timestamp() - make_interval(secs => :liveness))
                                  then 'the run outlived its timeout and its end was never recorded'
                                  else 'the node running it stopped before the run finished' end
        from scheduler_jobs j
       where r.status = 'running' and j.name = r.job_id
         and r.started_at < clock_timestamp() - make_interval(secs => :liveness)
         and (not exists (select 1 from cluster_nodes n
                           where n.node_id = r.node_id and n.last_seen_at > clock_timestamp() - make_interval(secs => :liveness))
              or r.started_at < clock_timestamp() - make_interval(secs => j.timeout_seconds + :liveness * 2))""";

  private final Jdbi jdbi;

  public SchedulerJobs(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Snapshot load() {
    return jdbi.withHandle(h -> {
      Instant[] now = new Instant[1];
      List<SchedulerJob> jobs = h.createQuery(LOAD).map((rs, ctx) -> {
        now[0] = instant(rs, "db_now");
        return new SchedulerJob(rs.getString("name"), rs.getString("schedule"), rs.getString("action"),
            rs.getBoolean("enabled"), rs.getInt("timeout_seconds"), instant(rs, "next_run_at"),
            instant(rs, "trigger_requested_at"));
      }).list();
      Instant dbNow = now[0] != null ? now[0] : h.createQuery("select clock_timestamp()").mapTo(OffsetDateTime.class).one().toInstant();
      return new Snapshot(dbNow, jobs);
    });
  }

  /** Sets the first due time of a job that has none (new, re-enabled or rescheduled); false if another node did. */
  public boolean setFirstNextRun(String name, Instant next) {
    return jdbi.withHandle(h -> h.createUpdate(SET_FIRST_NEXT_RUN).bind("name", name).bind("next", ts(next)).execute()) == 1;
  }

  /**
   * Claims the scheduled run due at {@code due} and moves the job on to {@code next}. Empty when
   * another node claimed it first, the job was disabled or changed, or a run of it is still going.
   */
  public OptionalLong claimScheduled(String name, Instant due, Instant next, String nodeId, boolean skippedMissedTicks) {
    return jdbi.withHandle(h -> h.createQuery(CLAIM_SCHEDULED)
        .bind("name", name).bind("due", ts(due)).bind("next", ts(next)).bind("node", nodeId)
        .bind("skipped", skippedMissedTicks)
        .mapTo(Long.class).findOne()
        .map(OptionalLong::of).orElse(OptionalLong.empty()));
  }

  /** Claims the manual run requested at {@code requestedAt}; empty when another node took it. */
  public OptionalLong claimManual(String name, Instant requestedAt, String nodeId) {
    return jdbi.withHandle(h -> h.createQuery(CLAIM_MANUAL)
        .bind("name", name).bind("requested", ts(requestedAt)).bind("node", nodeId)
        .mapTo(Long.class).findOne()
        .map(OptionalLong::of).orElse(OptionalLong.empty()));
  }

  /** Records how a run ended; a run already marked abandoned by another node is left as it is. */
  public void finish(long runId, RunOutcome outcome) {
    ObjectNode extra = Json.object();
    if (outcome.result() != null) {
      extra.set("result", outcome.result());
    }
    if (outcome.errorClass() != null) {
      extra.put("error_class", outcome.errorClass());
    }
    jdbi.useHandle(h -> h.createUpdate(FINISH)
        .bind("id", runId).bind("status", outcome.status()).bind("ms", (int) outcome.durationMs())
        .bind("error", outcome.errorMessage()).bind("extra", Json.write(extra))
        .execute());
  }

  /** Marks as abandoned the runs whose node stopped beating; returns how many. */
  public int abandonOrphanedRuns(long livenessSeconds) {
    return jdbi.withHandle(h -> h.createUpdate(ABANDON_ORPHANED_RUNS).bind("liveness", (double) livenessSeconds).execute());
  }

  /** Asks the nodes to run a job now (seed 003's {@code trigger_*()}); the function's name, or empty for an unknown job. */
  public Optional<String> requestRun(String name) {
    return jdbi.withHandle(h -> h.createQuery("""
            update scheduler_jobs set trigger_requested_at = clock_timestamp() where name = :name returning action""")
        .bind("name", name).mapTo(String.class).findOne());
  }

  /** Seed 003's {@code toggle_cron_job(name, enable)} answer. */
  public record Toggle(boolean success, String message) {}

  public Toggle toggle(String name, boolean enable) {
    return jdbi.withHandle(h -> h.createQuery("select success, message from toggle_cron_job(:name, :enable)")
        .bind("name", name).bind("enable", enable)
        .map((rs, ctx) -> new Toggle(rs.getBoolean("success"), rs.getString("message"))).one());
  }

  /**
   * Changes a job's schedule, enabled flag or timeout (null leaves a value as it is); false for an
   * unknown job. A new schedule or a re-enabled job starts from its next time after now (the table's trigger sees to it).
   */
  public boolean update(String name, String schedule, Boolean enabled, Integer timeoutSeconds) {
    return jdbi.withHandle(h -> h.createUpdate("""
            update scheduler_jobs
               set schedule = coalesce(:schedule, schedule),
                   timeout_seconds = coalesce(:timeout, timeout_seconds),
                   enabled = coalesce(:enabled, enabled)
             where name = :name""")
        .bind("name", name).bind("schedule", schedule).bind("enabled", enabled).bind("timeout", timeoutSeconds)
        .execute()) == 1;
  }

  private static OffsetDateTime ts(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
