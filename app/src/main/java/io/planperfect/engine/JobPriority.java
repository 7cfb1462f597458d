package io.planperfect.engine;

import io.planperfect.json.Json;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Changes an unfinished job's priority: the job, its unfinished stages and its waiting messages, in
 * one transaction with an event, so the next claim already orders by the new value.
 */
public final class JobPriority {
  public enum Outcome { CHANGED, NOT_FOUND, ALREADY_FINISHED }

  public static final int MIN = -100;
  public static final int MAX = 100;

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final JobChangeSignal changes;

  public JobPriority(Jdbi jdbi, JobRepository jobs, JobChangeSignal changes) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.changes = changes;
  }

  public Outcome change(UUID jobId, int priority) {
    if (priority < MIN || priority > MAX) {
      throw new IllegalArgumentException("priority must be from " + MIN + " to " + MAX + ", got " + priority);
    }
    Outcome outcome = jdbi.inTransaction(h -> {
      var job = jobs.lockJob(h, jobId);
      if (job.isEmpty()) {
        return Outcome.NOT_FOUND;
      }
      if (job.get().status().isFinished()) {
        return Outcome.ALREADY_FINISHED;
      }
      String pipeline = h.createQuery("update jobs set priority = :p, updated_at = now() where id = :id returning pipeline")
          .bind("p", priority).bind("id", jobId).mapTo(String.class).one();
      h.createUpdate("""
              update job_stages set priority = :p
               where job_id = :id and status not in ('completed', 'skipped', 'cancelled')""")
          .bind("p", priority).bind("id", jobId).execute();
      h.createUpdate("update queue_messages set priority = :p where job_id = :id")
          .bind("p", priority).bind("id", jobId).execute();
      jobs.event(h, jobId, pipeline, null, "priority_changed", "Priority changed to " + priority,
          Json.object().put("from", job.get().priority()).put("to", priority));
      return Outcome.CHANGED;
    });
    changes.changed();
    return outcome;
  }
}
