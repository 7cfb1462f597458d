package io.planperfect.engine;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Cancels a batch: marks it cancel-requested (so it ends {@code cancelled}), then cancels each of its
 * unfinished jobs by {@link JobCancellation}, one transaction per job. The counters follow by the
 * jobs' own ends (R__batches.sql); a job that finishes meanwhile keeps its result.
 */
public final class BatchCancellation {
  /** What a batch cancel found. */
  public enum Outcome { CANCELLED, NOT_FOUND, ALREADY_FINISHED }

  private final Jdbi jdbi;
  private final JobCancellation jobs;

  public BatchCancellation(Jdbi jdbi, JobCancellation jobs) {
    this.jdbi = jdbi;
    this.jobs = jobs;
  }

  public Outcome cancel(UUID batchId) {
    Boolean open = jdbi.withHandle(h -> h.createQuery("""
            update generation_batches set cancel_requested_at = coalesce(cancel_requested_at, now()), updated_at = now()
             where id = :id and finished_at is null
            returning true""").bind("id", batchId).mapTo(Boolean.class).findOne().orElse(null));
    if (open == null) {
      boolean exists = jdbi.withHandle(h -> h.createQuery("select exists(select 1 from generation_batches where id = :id)")
          .bind("id", batchId).mapTo(Boolean.class).one());
      return exists ? Outcome.ALREADY_FINISHED : Outcome.NOT_FOUND;
    }
    List<UUID> unfinished = jdbi.withHandle(h -> h.createQuery("""
            select id from jobs where batch_id = :id and status not in ('completed', 'failed', 'cancelled') order by id""")
        .bind("id", batchId).mapTo(UUID.class).list());
    unfinished.forEach(jobs::cancel);
    return Outcome.CANCELLED;
  }
}
