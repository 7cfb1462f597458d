package io.planperfect.engine;

import io.planperfect.json.Json;
import io.planperfect.pipeline.Priority;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Changes the priority of a job that has not finished (seed 004's priorityBoost), in one
 * transaction: the job row first (the lock order every transaction keeps), its waiting messages and
 * unfinished stages, and a {@code priority_changed} event. Later stages' messages carry the new value.
 */
public final class JobPriorities {
  /** What a change found. */
  public enum Outcome { CHANGED, NOT_FOUND, ALREADY_FINISHED }

  private final Jdbi jdbi;
  private final JobChangeSignal changes;

  public JobPriorities(Jdbi jdbi, JobChangeSignal changes) {
    this.jdbi = jdbi;
    this.changes = changes;
  }

  public Outcome change(UUID jobId, int priority) {
    Outcome outcome = jdbi.inTransaction(h -> {
      Optional<Integer> old = h.createQuery("""
              select priority from jobs where id = :id and status not in ('completed', 'failed', 'cancelled')
                 for no key update""").bind("id", jobId).mapTo(Integer.class).findOne();
      if (old.isEmpty()) {
        boolean exists = h.createQuery("select exists(select 1 from jobs where id = :id)").bind("id", jobId)
            .mapTo(Boolean.class).one();
        return exists ? Outcome.ALREADY_FINISHED : Outcome.NOT_FOUND;
      }
      h.createUpdate("update jobs set priority = :p, updated_at = now() where id = :id").bind("p", priority).bind("id", jobId).execute();
      h.createUpdate("update queue_messages set priority = :p where job_id = :id").bind("p", priority).bind("id", jobId).execute();
      h.createUpdate("""
              update job_stages set priority = :p
               where job_id = :id and status in ('pending', 'queued', 'processing', 'error')""")
          .bind("p", priority).bind("id", jobId).execute();
      h.createUpdate("""
              insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
              select id, pipeline, stage, 'priority_changed', 'Priority changed to ' || :label, cast(:meta as jsonb)
                from jobs where id = :id""")
          .bind("id", jobId).bind("label", Priority.of(priority).name() + " (" + priority + ")")
          .bind("meta", Json.write(Json.object().put("from", old.get()).put("to", priority))).execute();
      return Outcome.CHANGED;
    });
    changes.changed();
    return outcome;
  }
}
