package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.engine.IdempotencyKey;
import io.planperfect.json.Json;
import io.planperfect.scheduler.RunContext;
import io.planperfect.scheduler.ScheduledAction;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003's {@code content_pipeline_cleanup}: deletes rows past their retention age — archived
 * messages, the event trail of finished jobs, finished scheduler runs, the results tables,
 * resolved alerts, nodes not seen for a day, and Idempotency-Keys older than a day — in bounded
 * batches, each its own statement so no lock is held long; the two tables that grow with every
 * transition (queue_archive, job_events) are walked in key order ({@link RetentionRule#walked}). Never jobs, live messages, running runs or active alerts. One cleanup_logs
 * row per table; a table that fails is logged {@code failed} with the error, the others still
 * run, and the run then fails naming it.
 */
public final class Cleanup implements ScheduledAction {
  private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);
  static final String OPERATION = "retention_delete";
  static final Duration NODE_RETENTION = Duration.ofDays(1);

  private static final String OLDER = " < now() - make_interval(secs => :age)";

  private static final String LOG_ROW = """
      insert into cleanup_logs (operation_type, table_name, records_processed, records_deleted, duration_ms, status,
                                error_details, metadata)
      values (:operation, :table, :deleted, :deleted, :duration, :status, cast(:error as jsonb), cast(:metadata as jsonb))""";

  private final Jdbi jdbi;
  private final int batchSize;
  private final List<RetentionRule> rules;

  /** What cleaning one table did; {@code error} is null when it succeeded. */
  record TableResult(RetentionRule rule, long deleted, int batches, long durationMs, ObjectNode error) {}

  public Cleanup(Jdbi jdbi, MaintenanceSettings settings) {
    this.jdbi = jdbi;
    this.batchSize = settings.cleanupBatchSize();
    this.rules = rules(settings);
  }

  static List<RetentionRule> rules(MaintenanceSettings s) {
    Duration results = s.resultsRetention();
    return List.of(
        // why walked: both grow with every stage transition (one archived message, two or three events).
        RetentionRule.walked("queue_archive", "msg_id", "archived_at", "archived_at" + OLDER, s.archiveRetention()),
        // why: the trail of a job still queued, processing or waiting in an open dead letter is unfinished work.
        // why seq: the key of job_events since V060 (its uuid id has no index)
        RetentionRule.walked("job_events", "seq", "created_at", "created_at" + OLDER + """
             and exists (select 1 from jobs j where j.id = job_events.job_id
                          and j.status in ('completed', 'failed', 'cancelled'))
             and not exists (select 1 from dead_letters d where d.job_id = job_events.job_id and d.resolved_at is null)""",
            s.eventsRetention()),
        new RetentionRule("job_runs", "id", "status <> 'running' and started_at" + OLDER, s.runsRetention()),
        new RetentionRule("sweeper_logs", "id", "timestamp" + OLDER, results),
        new RetentionRule("health_checks", "id", "timestamp" + OLDER, results),
        new RetentionRule("metrics_data", "id", "timestamp" + OLDER, results),
        new RetentionRule("monitoring_alerts", "id", "status = 'resolved' and resolved_at" + OLDER, results),
        new RetentionRule("cleanup_logs", "id", "timestamp" + OLDER, results),
        new RetentionRule("cluster_nodes", "node_id", "last_seen_at" + OLDER, NODE_RETENTION),
        // why ctid: the key is two columns; a key past its retention answers nothing any more
        new RetentionRule("idempotency_keys", "ctid", "created_at" + OLDER, IdempotencyKey.RETENTION));
  }

  @Override
  public ObjectNode run(RunContext run) {
    List<TableResult> results = jdbi.withHandle(h -> rules.stream().map(rule -> {
      TableResult result = clean(h, rule);
      log(h, result, run);
      return result;
    }).toList());
    List<String> failed = results.stream().filter(r -> r.error() != null).map(r -> r.rule().table()).toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException("cleanup failed for " + failed + " (see cleanup_logs); the other tables were cleaned");
    }
    return summary(results);
  }

  private TableResult clean(Handle h, RetentionRule rule) {
    long started = System.nanoTime();
    long deleted = 0;
    int batches = 0;
    try {
      if (rule.walked()) {
        long after = Long.MIN_VALUE;
        WalkedBatch batch;
        do {
          stopIfInterrupted();
          batch = h.createQuery(rule.walkBatch()).bind("age", rule.age().toSeconds()).bind("batch", batchSize)
              .bind("after", after).map((rs, ctx) -> new WalkedBatch(rs.getLong("deleted"), (Long) rs.getObject("last", Long.class),
                  rs.getBoolean("any_old"))).one();
          deleted += batch.deleted();
          batches++;
          after = batch.last() == null ? after : batch.last();
        } while (batch.last() != null && batch.anyOld());
      } else {
        int last;
        do {
          stopIfInterrupted();
          last = h.createQuery(rule.batchDelete()).bind("age", rule.age().toSeconds()).bind("batch", batchSize)
              .mapTo(Integer.class).one();
          deleted += last;
          batches++;
        } while (last == batchSize);
      }
      return new TableResult(rule, deleted, batches, elapsedMs(started), null);
    } catch (RuntimeException e) {
      LOG.warn("cleanup of {} failed after deleting {} rows", rule.table(), deleted, e);
      return new TableResult(rule, deleted, batches, elapsedMs(started), describe(e));
    }
  }

  /** What one batch of a walked rule did: rows deleted, the last key it read (null: none left), any row past retention. */
  private record WalkedBatch(long deleted, Long last, boolean anyOld) {}

  private static void stopIfInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted: the cleanup run outlived its timeout");
    }
  }

  private void log(Handle h, TableResult r, RunContext run) {
    ObjectNode metadata = Json.object().put("trigger_type", run.triggerType()).put("run_id", run.runId())
        .put("retention_seconds", r.rule().age().toSeconds()).put("batches", r.batches()).put("batch_size", batchSize);
    h.createUpdate(LOG_ROW)
        .bind("operation", OPERATION)
        .bind("table", r.rule().table())
        .bind("deleted", (int) Math.min(Integer.MAX_VALUE, r.deleted()))
        .bind("duration", (int) Math.min(Integer.MAX_VALUE, r.durationMs()))
        .bind("status", r.error() == null ? "success" : "failed")
        .bind("error", r.error() == null ? null : Json.write(r.error()))
        .bind("metadata", Json.write(metadata))
        .execute();
  }

  private static ObjectNode summary(List<TableResult> results) {
    ObjectNode tables = Json.object();
    results.forEach(r -> tables.put(r.rule().table(), r.deleted()));
    ObjectNode summary = Json.object().put("deleted", results.stream().mapToLong(TableResult::deleted).sum());
    summary.set("tables", tables);
    return summary;
  }

  /** The database's own message and SQLSTATE when there is one, not the wrapper's statement dump. */
  static ObjectNode describe(RuntimeException e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof SQLException)) {
      cause = cause.getCause();
    }
    ObjectNode error = Json.object().put("message", String.valueOf(cause.getMessage()))
        .put("exception", cause.getClass().getSimpleName());
    if (cause instanceof SQLException sql) {
      error.put("sqlstate", sql.getSQLState());
    }
    return error;
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
