package io.planperfect.engine;

import io.planperfect.pipeline.RetrySettings;
import io.planperfect.pipeline.PipelineDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The writes of the job table family (jobs, job_stages, job_payloads, job_events,
 * dead_letters). Every method runs in the caller's transaction, so a stage transition is the
 * sum of several of these committed together.
 */
public final class JobRepository {

  /** The row of a job that a stage attempt needs, read under a row lock. */
  public record LockedJob(UUID id, String jobType, JobStatus status, int priority, ObjectNode payload) {}

  /** A job as intake stored it: {@code SCHEDULED} when its scheduled_at lies ahead, else {@code QUEUED}. */
  public record InsertedJob(UUID id, JobStatus status) {}

  /** A scheduled job just promoted to queued, with what its first message needs. */
  public record PromotedJob(UUID id, String pipeline, String stage, int priority, ObjectNode payload) {}

  // why: the database clock decides "ahead", the same clock promotion and the queue's vt use, so
  // nodes with skewed clocks agree on when a job is due.
  private static final String INSERT_JOB = """
      with decided as (
        select cast(:scheduledAt as timestamptz) as scheduled_at,
               case when cast(:scheduledAt as timestamptz) > now() then 'scheduled' else 'queued' end as status)
      insert into jobs (pipeline, job_type, requester_email, payload, status, stage, priority,
                        max_attempts, retry_delay_seconds, requested_max_attempts, requested_retry_delay_seconds,
                        scheduled_at, first_queued_at, last_queued_at, callback_url, mail_requester)
      select :pipeline, :jobType, :email, cast(:payload as jsonb), d.status, :stage, :priority,
             :maxAttempts, :retryDelay, :requestedMaxAttempts, :requestedRetryDelay, d.scheduled_at,
             case when d.status = 'queued' then now() end, case when d.status = 'queued' then now() end,
             :callbackUrl, :mailRequester
        from decided d
      returning id, status""";

  // why: SKIP LOCKED lets promoters on several nodes take disjoint rows; a row promoted by another
  // transaction after this statement's snapshot is re-checked on locking, fails status = 'scheduled'
  // and drops out, so every job is promoted exactly once. first_queued_at is null on every scheduled
  // job: the predicate of jobs_scheduled_due_idx (V060), which holds no status so that transitions stay HOT.
  private static final String PROMOTE_DUE = """
      with due as (
        select id from jobs
         where status = 'scheduled' and first_queued_at is null and scheduled_at <= now() and pipeline = any(:pipelines)
         order by scheduled_at, id
         limit :limit
         for update skip locked),
      promoted as (
        update jobs j set status = 'queued', first_queued_at = now(), last_queued_at = now(), updated_at = now()
          from due where j.id = due.id and j.status = 'scheduled'
        returning j.id, j.pipeline, j.stage, j.priority, j.payload),
      stages as (
        update job_stages s set status = 'queued', last_queued_at = now(), available_at = now()
          from promoted p where s.job_id = p.id and s.stage = p.stage)
      select id, pipeline, stage, priority, payload::text as payload from promoted""";

  /**
   * A stage's retry settings as resolved from the database's levels, most specific first: the
   * job's intake values (jobs j), the stage's config row (content_stage_config c, outer-joined),
   * then the code's value passed in (stage definition, pipeline definition, node environment).
   * claim_stage_attempts (R__stage_claims.sql) resolves a stage's first attempt in the same order.
   */
  private static final String RESOLVED_MAX_ATTEMPTS = "coalesce(j.requested_max_attempts, c.max_attempts, :defaultMaxAttempts)";
  private static final String RESOLVED_RETRY_DELAY =
      "coalesce(j.requested_retry_delay_seconds, c.retry_delay_seconds, :defaultRetryDelay)";
  private static final String JOB_AND_STAGE_CONFIG =
      "jobs j left join content_stage_config c on c.queue = :queue and c.stage = :stage";

  /** Inserts the job; {@code defaults} are its own settings where set, else its pipeline's or the node's. */
  /** {@code mailRequester}: mark the job to mail its requester_email (when it has one) when it ends. */
  public InsertedJob insertJob(Handle h, NewJob job, RetrySettings defaults, boolean mailRequester) {
    return h.createQuery(INSERT_JOB)
        .bind("callbackUrl", job.callbackUrl())
        .bind("mailRequester", mailRequester && job.requesterEmail() != null)
        .bind("pipeline", job.pipeline().name())
        .bind("jobType", job.jobType())
        .bind("email", job.requesterEmail())
        .bind("payload", Json.write(job.payload()))
        .bind("stage", job.initialStage())
        .bind("priority", job.priority())
        .bind("maxAttempts", defaults.maxAttempts())
        .bind("retryDelay", defaults.retryDelaySeconds())
        .bind("requestedMaxAttempts", job.maxAttempts())
        .bind("requestedRetryDelay", job.retryDelaySeconds())
        .bind("scheduledAt", job.scheduledAt() == null ? null : job.scheduledAt().toString())
        .map((rs, ctx) -> new InsertedJob(rs.getObject("id", UUID.class), JobStatus.of(rs.getString("status"))))
        .one();
  }

  /**
   * Claims up to {@code limit} scheduled jobs of the given pipelines whose scheduled_at has passed
   * and marks each, and its first stage, queued. The caller sends their messages in the same transaction.
   */
  public List<PromotedJob> promoteDue(Handle h, Collection<String> pipelines, int limit) {
    return h.createQuery(PROMOTE_DUE)
        .bind("pipelines", pipelines.toArray(String[]::new))
        .bind("limit", limit)
        .map((rs, ctx) -> new PromotedJob(rs.getObject("id", UUID.class), rs.getString("pipeline"),
            rs.getString("stage"), rs.getInt("priority"), (ObjectNode) Json.read(rs.getString("payload"))))
        .list();
  }

  /**
   * One row per stage: earlier than the initial stage skipped, the initial one queued (pending while
   * the job waits for its scheduled time, {@code queueNow} false), later ones pending; each with its
   * retry settings resolved as of now (the first attempt resolves them again).
   */
  public void insertStages(Handle h, UUID jobId, NewJob job, RetrySettings node, Duration visibility, boolean queueNow) {
    PipelineDefinition pipeline = job.pipeline();
    List<String> stages = pipeline.stageNames();
    int initial = stages.indexOf(job.initialStage());
    var batch = h.prepareBatch("""
        insert into job_stages (job_id, stage, pipeline, position, status, max_attempts, priority,
                                retry_delay_seconds, visibility_timeout_seconds, last_queued_at)
        select j.id, :stage, :pipeline, :position, :status, %s, :priority,
               %s, :visibility, case when :status = 'queued' then now() end
          from %s
         where j.id = :jobId""".formatted(RESOLVED_MAX_ATTEMPTS, RESOLVED_RETRY_DELAY, JOB_AND_STAGE_CONFIG));
    for (int position = 0; position < stages.size(); position++) {
      String stage = stages.get(position);
      String status = position < initial ? "skipped" : position == initial && queueNow ? "queued" : "pending";
      RetrySettings defaults = pipeline.retryFor(stage).orElse(node);
      batch.bind("jobId", jobId).bind("stage", stage).bind("pipeline", pipeline.name()).bind("queue", pipeline.queue())
          .bind("position", position).bind("status", status).bind("priority", job.priority())
          .bind("defaultMaxAttempts", defaults.maxAttempts()).bind("defaultRetryDelay", defaults.retryDelaySeconds())
          .bind("visibility", (int) visibility.toSeconds()).add();
    }
    batch.execute();
  }

  /**
   * Adds one event to the job's trail. The caller holds the job's row lock (or has just created the
   * job in this transaction): a job's events are then numbered in the order they commit, which is what
   * lets a stream resume after the last number of a read of the job and miss none ({@link JobReads#snapshot}).
   */
  public void event(Handle h, UUID jobId, String pipeline, String stage, String type, String message, JsonNode metadata) {
    h.createUpdate("""
            insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
            values (:jobId, :pipeline, :stage, :type, :message, cast(:metadata as jsonb))""")
        .bind("jobId", jobId)
        .bind("pipeline", pipeline)
        .bind("stage", stage)
        .bind("type", type)
        .bind("message", message)
        .bind("metadata", metadata == null ? null : Json.write(metadata))
        .execute();
  }

  /**
   * Locks the job row, serialising a stage's end, cancel and replay with anything else changing the
   * job. Lock order: a transaction that may wait for a job row takes it before the job's messages,
   * stages and slots (see "Lock order" in db/migration/R__stage_claims.sql).
   */
  public Optional<LockedJob> lockJob(Handle h, UUID jobId) {
    return h.createQuery("select id, job_type, status, priority, payload::text as payload from jobs where id = :id for update")
        .bind("id", jobId)
        .map((rs, ctx) -> new LockedJob(
            rs.getObject("id", UUID.class),
            rs.getString("job_type"),
            JobStatus.of(rs.getString("status")),
            rs.getInt("priority"),
            (ObjectNode) Json.read(rs.getString("payload"))))
        .findOne();
  }

  /** Locks the job row for an update of the job (as {@link #lockJob}, without reading it). */
  public void lockJobRow(Handle h, UUID jobId) {
    h.createQuery("select 1 from jobs where id = :id for no key update").bind("id", jobId).mapTo(Integer.class).findOne();
  }

  public void queueStage(Handle h, UUID jobId, String stage) {
    h.createUpdate("""
            update job_stages set status = 'queued', last_queued_at = now(), available_at = now()
             where job_id = :jobId and stage = :stage""")
        .bind("jobId", jobId).bind("stage", stage).execute();
    h.createUpdate("""
            update jobs set stage = :stage, status = 'queued', last_queued_at = now(), updated_at = now()
             where id = :jobId""")
        .bind("jobId", jobId).bind("stage", stage).execute();
  }

  /** Records a failed attempt that will be retried after the delay. */
  public void scheduleRetry(Handle h, UUID jobId, String stage, JsonNode error, Duration delay) {
    h.createUpdate("""
            update job_stages
               set status = 'error', last_error = cast(:error as jsonb), finished_at = now(), waiting_since = null,
                   next_retry_at = now() + make_interval(secs => :delay),
                   available_at = now() + make_interval(secs => :delay)
             where job_id = :jobId and stage = :stage""")
        .bind("jobId", jobId).bind("stage", stage).bind("error", Json.write(error))
        .bind("delay", delay.toMillis() / 1000.0).execute();
    h.createUpdate("update jobs set status = 'queued', last_failed_at = now(), updated_at = now() where id = :jobId")
        .bind("jobId", jobId).execute();
  }

  /** Records the last failed attempt: the stage dead_lettered and the job failed (the queue holds the letter). */
  public void markDeadLettered(Handle h, UUID jobId, String stage, String reason, JsonNode error) {
    h.createUpdate("""
            update job_stages
               set status = 'dead_lettered', last_error = cast(:error as jsonb), finished_at = now(), waiting_since = null,
                   dead_lettered_at = now(), dead_letter_reason = :reason
             where job_id = :jobId and stage = :stage""")
        .bind("jobId", jobId).bind("stage", stage).bind("error", Json.write(error))
        .bind("reason", reason).execute();
    h.createUpdate("""
            update jobs set status = 'failed', last_failed_at = now(), last_dead_letter_at = now(), updated_at = now()
             where id = :jobId""")
        .bind("jobId", jobId).execute();
  }

  public void cancelUnfinishedStages(Handle h, UUID jobId) {
    h.createUpdate("""
            update job_stages set status = 'cancelled', finished_at = coalesce(finished_at, now())
             where job_id = :id and status in ('pending', 'queued', 'processing', 'error')""")
        .bind("id", jobId).execute();
  }

  /** Marks the job cancelled and returns its pipeline. */
  public String markCancelled(Handle h, UUID jobId) {
    return h.createQuery("update jobs set status = 'cancelled', updated_at = now() where id = :id returning pipeline")
        .bind("id", jobId).mapTo(String.class).one();
  }

  /** Puts a dead-lettered stage back in the queue with its attempts reset; the job is queued again. */
  public void resumeStage(Handle h, UUID jobId, String stage) {
    h.createUpdate("""
            update job_stages
               set status = 'queued', attempt_count = 0, next_retry_at = null, dead_lettered_at = null,
                   dead_letter_reason = null, finished_at = null, last_queued_at = now(), available_at = now()
             where job_id = :jobId and stage = :stage""")
        .bind("jobId", jobId).bind("stage", stage).execute();
    h.createUpdate("""
            update jobs set status = 'queued', stage = :stage, last_queued_at = now(), updated_at = now()
             where id = :jobId""")
        .bind("jobId", jobId).bind("stage", stage).execute();
  }
}
