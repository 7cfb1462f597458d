package io.planperfect.engine;

import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Cancels a job in one transaction: its messages are deleted (so a running stage's ack, heartbeat
 * and result are refused by the lease check), unfinished stages and the job become cancelled.
 */
public final class JobCancellation {
  /** What a cancel request found. */
  public enum Outcome { CANCELLED, NOT_FOUND, ALREADY_FINISHED }

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final JobChangeSignal changes;

  public JobCancellation(Jdbi jdbi, JobRepository jobs, MessageQueue queue, JobChangeSignal changes) {
    this.changes = changes;
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
  }

  public Outcome cancel(UUID jobId) {
    Outcome outcome = jdbi.inTransaction(h -> {
      var job = jobs.lockJob(h, jobId);
      if (job.isEmpty()) {
        return Outcome.NOT_FOUND;
      }
      if (job.get().status().isFinished()) {
        return Outcome.ALREADY_FINISHED;
      }
      int removed = queue.deleteForJob(h, jobId);
      jobs.cancelUnfinishedStages(h, jobId);
      String pipeline = jobs.markCancelled(h, jobId);
      jobs.event(h, jobId, pipeline, null, "cancelled", "Job cancelled", Json.object().put("messages_removed", removed));
      return Outcome.CANCELLED;
    });
    changes.changed();
    return outcome;
  }
}
