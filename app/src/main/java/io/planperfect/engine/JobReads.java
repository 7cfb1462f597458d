package io.planperfect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The read side of the job tables, as JSON documents for the API. PostgreSQL renders each row
 * (to_jsonb), so the API shows exactly the columns the seed's queries see.
 */
public final class JobReads {
  /** A job's stages as one JSON array, in pipeline order (over {@code job_stages s}). */
  private static final String STAGES_JSON = "coalesce(jsonb_agg(to_jsonb(s) - 'pipeline' order by s.position), '[]'::jsonb)::text";

  private final Jdbi jdbi;

  public JobReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Rows of the seed's content_jobs view, optionally one job and/or one status. */
  public ArrayNode contentJobs(Optional<UUID> id, Optional<String> status, int limit) {
    return array("""
        select coalesce(jsonb_agg(to_jsonb(j) order by j.created_at desc), '[]'::jsonb)::text from (
          select * from content_jobs
           where (cast(:id as uuid) is null or id = cast(:id as uuid))
             and (cast(:status as text) is null or status = cast(:status as text))
           order by created_at desc limit :limit) j""",
        q -> q.bind("id", id.orElse(null)).bind("status", status.orElse(null)).bind("limit", limit));
  }

  /** The job with its stages, progress and model usage (tokens and cost, in all and per stage), or empty when there is no such job. */
  public Optional<ObjectNode> job(UUID id) {
    return jdbi.withHandle(h -> job(h, id));
  }

  /** As {@link #job(UUID)}, given up after {@code timeout} (it then throws): for a reader that must not wait long. */
  public Optional<ObjectNode> job(UUID id, java.time.Duration timeout) {
    return BoundedReads.within(jdbi, timeout, h -> job(h, id));
  }

  /**
   * The job with its stages and the sequence number of its last change that the read shows (0 when
   * none), all from one statement, so from one snapshot of the database. A job's changes are numbered
   * in the order of its transitions (each holds the job's row), so every change the read does not show
   * has a higher number: a stream that sends this and then the changes after the number misses none
   * and sends none the snapshot already shows.
   */
  public Optional<Snapshot> snapshot(UUID id) {
    return jdbi.withHandle(h -> h.createQuery("""
            select (to_jsonb(j) || jsonb_build_object('usage', job_llm_usage(j.id)))::text as job,
                   (select coalesce(max(e.seq), 0) from job_events e where e.job_id = j.id) as last_seq,
                   (select %s from job_stages s where s.job_id = j.id) as stages
              from jobs j where id = :id""".formatted(STAGES_JSON))
        .bind("id", id)
        .map((rs, ctx) -> new Snapshot(withStages((ObjectNode) Json.read(rs.getString("job")),
            (ArrayNode) Json.read(rs.getString("stages"))), rs.getLong("last_seq")))
        .findOne());
  }

  /** A job read and the last change of it that the read shows. */
  public record Snapshot(ObjectNode job, long lastSeq) {}

  private static Optional<ObjectNode> job(Handle h, UUID id) {
    return h.createQuery(
            "select (to_jsonb(j) || jsonb_build_object('usage', job_llm_usage(j.id)))::text from jobs j where id = :id")
        .bind("id", id).mapTo(String.class).findOne().map(text -> withStages((ObjectNode) Json.read(text), stages(h, id)));
  }

  private static ObjectNode withStages(ObjectNode job, ArrayNode stages) {
    job.set("stages", stages);
    job.set("progress", progress(stages));
    return job;
  }

  public ArrayNode stages(UUID id) {
    return jdbi.withHandle(h -> stages(h, id));
  }

  private static ArrayNode stages(Handle h, UUID id) {
    return (ArrayNode) Json.read(h.createQuery("select " + STAGES_JSON + " from job_stages s where job_id = :id")
        .bind("id", id).mapTo(String.class).one());
  }

  public ArrayNode events(UUID id) {
    return array("""
        select coalesce(jsonb_agg(to_jsonb(e) - 'pipeline' order by e.seq), '[]'::jsonb)::text
          from job_events e where job_id = :id""", q -> q.bind("id", id));
  }

  public ArrayNode payloads(UUID id) {
    return array("""
        select coalesce(jsonb_agg(jsonb_build_object('stage', p.stage, 'data', p.data, 'created_at', p.created_at,
                                                     'updated_at', p.updated_at) order by s.position), '[]'::jsonb)::text
          from job_payloads p join job_stages s on s.job_id = p.job_id and s.stage = p.stage
         where p.job_id = :id""", q -> q.bind("id", id));
  }

  /** The sequence number of the job's newest event (0 when it has none). */
  public boolean exists(UUID id) {
    return jdbi.withHandle(h -> h.createQuery("select exists(select 1 from jobs where id = :id)")
        .bind("id", id).mapTo(Boolean.class).one());
  }

  /** Stages done out of all: a skipped stage counts as done (the job passed over it), as a completed one does. */
  private static ObjectNode progress(ArrayNode stages) {
    int completed = 0;
    int skipped = 0;
    for (JsonNode stage : stages) {
      String status = stage.path("status").asText();
      completed += status.equals("completed") ? 1 : 0;
      skipped += status.equals("skipped") ? 1 : 0;
    }
    int total = stages.size();
    return Json.object().put("stages_total", total).put("stages_completed", completed).put("stages_skipped", skipped)
        .put("percent", total == 0 ? 100 : Math.round(100.0 * (completed + skipped) / total));
  }

  private ArrayNode array(String sql, java.util.function.UnaryOperator<org.jdbi.v3.core.statement.Query> binder) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(binder.apply(h.createQuery(sql)).mapTo(String.class).one()));
  }
}
