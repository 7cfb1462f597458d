package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The read side of batches, for the API and the dashboard. A batch's counts are columns kept by
 * the engine as its jobs end (R__batches.sql), so no read counts jobs.
 *
 * <ul>
 *   <li>{@link #batch(UUID)}: one batch: id, pipeline, status, total_jobs, completed, failed,
 *       cancelled, pending, progress_percent, callback_url, created_at, updated_at, finished_at, and
 *       {@code callback} (null without a callback_url; {@code waiting} until the batch finishes; then the
 *       delivery's status, attempts, last_status, last_error, delivered_at, next_attempt_at).
 *   <li>{@link #jobs(UUID, Optional, int, int)}: a page of the batch's jobs ({@code id}, {@code status},
 *       {@code stage}, {@code priority}), optionally of one job status, oldest first.
 *   <li>{@link #list(int, int)}: batches newest first, a page at a time.
 *   <li>{@link #jobIds(UUID)}: every job id of a batch.
 * </ul>
 */
public final class BatchReads {
  /** The job statuses a batch's job list can be filtered by. */
  public static final List<String> JOB_STATUSES = List.of("scheduled", "queued", "processing", "completed", "failed", "cancelled");

  private static final String BATCH_JSON = """
      jsonb_build_object('id', b.id, 'pipeline', b.pipeline, 'status', b.status, 'total_jobs', b.total_jobs,
        'completed', b.completed, 'failed', b.failed, 'cancelled', b.cancelled,
        'pending', b.total_jobs - b.completed - b.failed - b.cancelled,
        'progress_percent', round(100.0 * (b.completed + b.failed + b.cancelled) / b.total_jobs, 1),
        'callback_url', b.callback_url, 'cancel_requested_at', b.cancel_requested_at,
        'created_at', b.created_at, 'updated_at', b.updated_at, 'finished_at', b.finished_at,
        'callback', case when b.callback_url is not null then coalesce(
          (select jsonb_build_object('status', d.status, 'attempts', d.attempts, 'last_status', d.last_status,
                    'last_error', d.last_error, 'delivered_at', d.delivered_at,
                    'next_attempt_at', case when d.status = 'pending' then d.next_attempt_at end)
             from callback_deliveries d where d.subject = 'batch' and d.subject_id = b.id),
          jsonb_build_object('status', 'waiting', 'attempts', 0))
        end)""";

  private final Jdbi jdbi;

  public BatchReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<ObjectNode> batch(UUID id) {
    return jdbi.withHandle(h -> batch(h, id));
  }

  /** As {@link #batch(UUID)}, given up after {@code timeout} (it then throws): for a reader that must not wait long. */
  public Optional<ObjectNode> batch(UUID id, java.time.Duration timeout) {
    return BoundedReads.within(jdbi, timeout, h -> batch(h, id));
  }

  private static Optional<ObjectNode> batch(org.jdbi.v3.core.Handle h, UUID id) {
    return h.createQuery("select (" + BATCH_JSON + ")::text from generation_batches b where b.id = :id")
        .bind("id", id).mapTo(String.class).findOne().map(text -> (ObjectNode) Json.read(text));
  }

  public ArrayNode jobs(UUID batchId, Optional<String> status, int limit, int offset) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery("""
            select coalesce(jsonb_agg(jsonb_build_object('id', j.id, 'status', j.status, 'stage', j.stage,
                                                         'priority', j.priority) order by j.created_at, j.id), '[]')::text
              from (select id, status, stage, priority, created_at from jobs
                     where batch_id = :batch and (cast(:status as text) is null or status = cast(:status as text))
                     order by created_at, id limit :limit offset :offset) j""")
        .bind("batch", batchId).bind("status", status.orElse(null)).bind("limit", limit).bind("offset", offset)
        .mapTo(String.class).one()));
  }

  /** Every job id of a batch (at most {@link BatchIntake#MAX_JOBS}): what a batch's event stream follows. */
  public Set<UUID> jobIds(UUID batchId) {
    return jdbi.withHandle(h -> Set.copyOf(h.createQuery("select id from jobs where batch_id = :batch")
        .bind("batch", batchId).mapTo(UUID.class).list()));
  }

  public ArrayNode list(int limit, int offset) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery("""
            select coalesce(jsonb_agg(%s order by b.created_at desc, b.id), '[]')::text
              from (select * from generation_batches order by created_at desc, id limit :limit offset :offset) b"""
            .formatted(BATCH_JSON))
        .bind("limit", limit).bind("offset", offset).mapTo(String.class).one()));
  }
}
