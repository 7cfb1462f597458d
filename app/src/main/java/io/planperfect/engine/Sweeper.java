package io.planperfect.engine;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Repairs what a crash at the wrong moment could leave behind and logs each sweep in
 * sweeper_logs: jobs that are queued or processing with no message (orphans) get their current
 * stage queued again; leases that expired long ago are counted (their messages are visible and
 * will be claimed again). Safe beside running workers and other sweepers: a job row locked by a
 * transition or another sweep is skipped, and a locked candidate is checked again before it is queued.
 */
public final class Sweeper {
  private static final int BATCH = 1000;

  private static final String ORPHAN_CONDITION = """
      j.status in ('queued', 'processing') and not exists (select 1 from queue_messages m where m.job_id = j.id)""";

  private static final String CANDIDATES =
      "select j.id from jobs j where " + ORPHAN_CONDITION + " limit :batch for update of j skip locked";

  // why a second statement: the first judged "no message" on a snapshot taken before it locked the
  // rows. Another sweeper may have queued the same job again and committed in between: locking
  // re-reads the job row only, and the new message stays invisible to that snapshot, so the job was
  // queued twice (SweeperRaceTest). Under the locks, a new statement sees every committed message.
  private static final String STILL_ORPHANED =
      "select j.id, j.pipeline, j.stage, j.priority from jobs j where j.id = any(:ids) and " + ORPHAN_CONDITION;

  private static final String EXPIRED_LEASES = """
      select count(*) from queue_messages
       where lease is not null and vt < now() - make_interval(secs => :threshold)""";

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final PipelineRegistry pipelines;
  private final WorkAnnouncer announcer;
  private final Duration expiredLeaseThreshold;
  private final JobChangeSignal changes;

  public Sweeper(Jdbi jdbi, JobRepository jobs, MessageQueue queue, PipelineRegistry pipelines, WorkAnnouncer announcer,
      Duration expiredLeaseThreshold, JobChangeSignal changes) {
    this.changes = changes;
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
    this.pipelines = pipelines;
    this.announcer = announcer;
    this.expiredLeaseThreshold = expiredLeaseThreshold;
  }

  /** What one sweep did. */
  public record Report(int orphansRequeued, long expiredLeases, long durationMs) {}

  private record Orphan(UUID id, String pipeline, String stage, int priority) {}

  public Report sweep(String triggerType) {
    long started = System.nanoTime();
    int requeued = repairOrphans();
    long expired = jdbi.withHandle(h -> h.createQuery(EXPIRED_LEASES)
        .bind("threshold", expiredLeaseThreshold.toMillis() / 1000.0).mapTo(Long.class).one());
    Report report = new Report(requeued, expired, Duration.ofNanos(System.nanoTime() - started).toMillis());
    log(report, triggerType);
    return report;
  }

  /**
   * Queues again, in one transaction, up to one batch of jobs that are queued or processing but
   * have no message, and announces them after commit; returns how many. Writes no sweeper_logs row.
   */
  public int repairOrphans() {
    List<Orphan> requeued = jdbi.inTransaction(h -> {
      UUID[] candidates = h.createQuery(CANDIDATES).bind("batch", BATCH).mapTo(UUID.class).list().toArray(UUID[]::new);
      List<Orphan> orphans = candidates.length == 0 ? List.of() : h.createQuery(STILL_ORPHANED).bind("ids", candidates)
          .map((rs, ctx) -> new Orphan(rs.getObject("id", UUID.class), rs.getString("pipeline"), rs.getString("stage"),
              rs.getInt("priority")))
          .list();
      List<Orphan> done = new ArrayList<>();
      for (Orphan orphan : orphans) {
        PipelineDefinition pipeline = pipelines.byName(orphan.pipeline()).orElse(null);
        if (pipeline == null || !pipeline.hasStage(orphan.stage())) {
          continue;
        }
        jobs.queueStage(h, orphan.id(), orphan.stage());
        queue.send(h, pipeline.queue(), orphan.stage(), orphan.id(), Json.object().put("from", "sweeper"),
            SendOptions.priority(orphan.priority()));
        jobs.event(h, orphan.id(), orphan.pipeline(), orphan.stage(), "swept",
            "Sweeper queued the job again: it had no message", null);
        done.add(orphan);
      }
      return done;
    });
    requeued.forEach(o -> announcer.announce(pipelines.byName(o.pipeline()).orElseThrow().queue(), o.stage()));
    if (!requeued.isEmpty()) {
      changes.changed();
    }
    return requeued.size();
  }

  private void log(Report report, String triggerType) {
    ObjectNode metadata = Json.object().put("trigger_type", triggerType).put("orphans_requeued", report.orphansRequeued())
        .put("expired_leases", report.expiredLeases());
    jdbi.useHandle(h -> h.createUpdate("""
            insert into sweeper_logs (action, status, records_processed, duration_ms, metadata)
            values ('sweep', 'success', :records, :duration, cast(:metadata as jsonb))""")
        .bind("records", report.orphansRequeued())
        .bind("duration", (int) report.durationMs())
        .bind("metadata", Json.write(metadata))
        .execute());
  }
}
