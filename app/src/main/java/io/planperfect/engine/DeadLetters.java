package io.planperfect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The dead letters of every pipeline: list, show, replay (the job resumes at the dead-lettered
 * stage with its attempts reset and its earlier payloads kept) and discard. A resolved letter
 * stays in the table with how and when it was resolved.
 */
public final class DeadLetters {
  /** What a replay or discard found. */
  public enum Outcome { DONE, NOT_FOUND, ALREADY_RESOLVED, JOB_NOT_FAILED }

  private static final String ROW = """
      select to_jsonb(d) from dead_letters d where id = :id""";

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final WorkAnnouncer announcer;
  private final JobChangeSignal changes;

  public DeadLetters(Jdbi jdbi, JobRepository jobs, MessageQueue queue, WorkAnnouncer announcer, JobChangeSignal changes) {
    this.changes = changes;
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
    this.announcer = announcer;
  }

  /** Newest first; unresolved only unless asked for all; optionally of one pipeline. */
  public ArrayNode list(Optional<String> pipeline, boolean includeResolved, int limit) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery("""
            select coalesce(jsonb_agg(to_jsonb(d) order by d.routed_at desc, d.id desc), '[]'::jsonb)::text from (
              select * from dead_letters
               where (cast(:pipeline as text) is null or pipeline = cast(:pipeline as text))
                 and (:all or resolved_at is null)
               order by routed_at desc, id desc limit :limit) d""")
        .bind("pipeline", pipeline.orElse(null)).bind("all", includeResolved).bind("limit", limit)
        .mapTo(String.class).one()));
  }

  public Optional<ObjectNode> show(long id) {
    return jdbi.withHandle(h -> h.createQuery(ROW).bind("id", id).mapTo(String.class).findOne()
        .map(text -> (ObjectNode) Json.read(text)));
  }

  /**
   * Unresolved letters grouped by pipeline, stage and failure reason, largest group first: each with
   * its count, newest time and letter ids (newest first).
   */
  public ArrayNode groups() {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery("""
            select coalesce(jsonb_agg(g order by g.count desc, g.newest desc), '[]'::jsonb)::text from (
              select pipeline, stage, coalesce(failure_reason, '') as failure_reason, count(*) as count,
                     max(routed_at) as newest, jsonb_agg(id order by routed_at desc, id desc) as ids
                from dead_letters where resolved_at is null
               group by pipeline, stage, coalesce(failure_reason, '')) g""").mapTo(String.class).one()));
  }

  /** The unresolved letter of a job, if it has one. */
  public Optional<Long> openLetterOf(UUID jobId) {
    return jdbi.withHandle(h -> h.createQuery("""
            select id from dead_letters where job_id = :job and resolved_at is null order by routed_at desc, id desc limit 1""")
        .bind("job", jobId).mapTo(Long.class).findOne());
  }

  /** Resumes the job at the dead-lettered stage, attempts reset, earlier results kept. */
  public Outcome replay(long id) {
    return replay(id, null);
  }

  /**
   * As {@link #replay(long)}, the job's payload first replaced by {@code payload} (already checked by
   * the pipeline's intake rules) when it is not null, with the change recorded in the replay event.
   */
  public Outcome replay(long id, ObjectNode payload) {
    Replay replay = jdbi.inTransaction(h -> {
      Optional<Letter> letter = lockOpen(h, id);
      if (letter.isEmpty()) {
        return new Replay(exists(h, id) ? Outcome.ALREADY_RESOLVED : Outcome.NOT_FOUND, null);
      }
      Letter l = letter.get();
      var job = jobs.lockJob(h, l.jobId());
      if (job.isEmpty() || job.get().status() != JobStatus.FAILED) {
        return new Replay(Outcome.JOB_NOT_FAILED, null);
      }
      if (payload != null) {
        h.createUpdate("update jobs set payload = cast(:payload as jsonb), updated_at = now() where id = :id")
            .bind("payload", Json.write(payload)).bind("id", l.jobId()).execute();
      }
      jobs.resumeStage(h, l.jobId(), l.stage());
      queue.send(h, l.queue(), l.stage(), l.jobId(), l.payload(), SendOptions.priority(job.get().priority()));
      resolve(h, id, "replayed");
      jobs.event(h, l.jobId(), l.pipeline(), l.stage(), "replayed", "Dead letter " + id + " replayed",
          Json.object().put("dead_letter_id", id).put("payload_edited", payload != null));
      return new Replay(Outcome.DONE, l);
    });
    if (replay.letter() != null) {
      announcer.announce(replay.letter().queue(), replay.letter().stage());
    }
    changes.changed();
    return replay.outcome();
  }

  /** Marks the letter discarded; the job stays failed. */
  public Outcome discard(long id) {
    Outcome outcome = jdbi.inTransaction(h -> {
      Optional<Letter> letter = lockOpen(h, id);
      if (letter.isEmpty()) {
        return exists(h, id) ? Outcome.ALREADY_RESOLVED : Outcome.NOT_FOUND;
      }
      resolve(h, id, "discarded");
      if (letter.get().jobId() != null) {
        jobs.lockJobRow(h, letter.get().jobId());
        jobs.event(h, letter.get().jobId(), letter.get().pipeline(), letter.get().stage(), "dead_letter_discarded",
            "Dead letter " + id + " discarded", Json.object().put("dead_letter_id", id));
      }
      return Outcome.DONE;
    });
    changes.changed();
    return outcome;
  }

  private record Letter(String pipeline, String queue, UUID jobId, String stage, JsonNode payload) {}

  private record Replay(Outcome outcome, Letter letter) {}

  private static Optional<Letter> lockOpen(Handle h, long id) {
    return h.createQuery("""
            select pipeline, queue_name, job_id, stage, payload::text as payload from dead_letters
             where id = :id and resolved_at is null for update""")
        .bind("id", id)
        .map((rs, ctx) -> new Letter(rs.getString("pipeline"), rs.getString("queue_name"),
            rs.getObject("job_id", UUID.class), rs.getString("stage"), stagePayload(Json.read(rs.getString("payload")))))
        .findOne();
  }

  /** The stage payload inside a dead-lettered message envelope ({job_id, stage, payload}). */
  private static JsonNode stagePayload(JsonNode envelope) {
    JsonNode payload = envelope.path("payload");
    return payload.isObject() ? payload : Json.object();
  }

  private static boolean exists(Handle h, long id) {
    return h.createQuery("select exists(select 1 from dead_letters where id = :id)").bind("id", id).mapTo(Boolean.class).one();
  }

  private static void resolve(Handle h, long id, String resolution) {
    h.createUpdate("update dead_letters set resolved_at = now(), resolution = :r where id = :id")
        .bind("r", resolution).bind("id", id).execute();
  }
}
