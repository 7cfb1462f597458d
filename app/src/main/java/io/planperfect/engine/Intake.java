package io.planperfect.engine;

import io.planperfect.pipeline.PipelineDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.NextStage;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueVisibility;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Accepts a validated job: the job row, its stage rows, the "queued" event and the first
 * message commit in one transaction, so an acknowledged job always has work waiting. A job whose
 * scheduled_at lies ahead is stored "scheduled" with a "scheduled" event and no message;
 * {@link ScheduledJobs} sends that message, through {@link #sendFirstMessage}, when its time comes.
 *
 * <p>A job to queue at once without an Idempotency-Key is stored with whichever other requests are
 * waiting at the time, one transaction for the group ({@link IntakeGroupCommit}); a scheduled or keyed
 * job has a transaction of its own.
 */
public final class Intake implements AutoCloseable {
  /** Group transactions open at once (each holds a pooled connection while it writes). */
  public static final int DEFAULT_COMMITTERS = 4;

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final WorkAnnouncer announcer;
  private final RetryPolicy retryPolicy;
  private final QueueVisibility visibility;
  private final JobChangeSignal changes;
  private final boolean mailRequesters;
  private final IntakeGroupCommit groups;

  /**
   * What intake did with a job: queued at once, or {@code SCHEDULED} until {@code scheduledAt};
   * {@code replayed} when an earlier request with the same Idempotency-Key stored it and this is its answer.
   */
  public record Receipt(UUID jobId, JobStatus status, String stage, Instant scheduledAt, boolean replayed) {
    ObjectNode toJson() {
      ObjectNode json = Json.object().put("job_id", jobId.toString()).put("status", status.value()).put("stage", stage);
      return scheduledAt == null ? json : json.put("scheduled_at", scheduledAt.toString());
    }

    static Receipt replayOf(JsonNode json) {
      return new Receipt(UUID.fromString(json.path("job_id").asText()), JobStatus.of(json.path("status").asText()),
          json.path("stage").asText(), json.hasNonNull("scheduled_at") ? Instant.parse(json.get("scheduled_at").asText()) : null,
          true);
    }
  }

  /**
   * {@code mailRequesters}: a completion e-mail can be sent (PLANPERFECT_SMTP_URL is set), so a job with a
   * requester_email is marked to mail its requester when it ends.
   */
  public Intake(Jdbi jdbi, JobRepository jobs, MessageQueue queue, WorkAnnouncer announcer,
      RetryPolicy retryPolicy, QueueVisibility visibility, JobChangeSignal changes, boolean mailRequesters) {
    this(jdbi, jobs, queue, announcer, retryPolicy, visibility, changes, mailRequesters, DEFAULT_COMMITTERS);
  }

  /** As above, with {@code committers} group transactions open at once (at least 1). */
  public Intake(Jdbi jdbi, JobRepository jobs, MessageQueue queue, WorkAnnouncer announcer,
      RetryPolicy retryPolicy, QueueVisibility visibility, JobChangeSignal changes, boolean mailRequesters,
      int committers) {
    if (committers < 1) {
      throw new IllegalArgumentException("intake needs at least 1 committer, got " + committers);
    }
    this.changes = changes;
    this.mailRequesters = mailRequesters;
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
    this.announcer = announcer;
    this.retryPolicy = retryPolicy;
    this.visibility = visibility;
    this.groups = new IntakeGroupCommit(jdbi, new AcceptedJobs(queue, retryPolicy, visibility, mailRequesters),
        this::committed, committers);
  }

  public UUID submit(NewJob job) {
    return accept(job).jobId();
  }

  /**
   * Checks the job's payload by its pipeline's intake rules ({@link InvalidField} names a bad
   * field; nothing is stored), passes over the stages its skip predicates name, and stores it.
   */
  public Receipt accept(NewJob request) {
    return accept(request, null);
  }

  /**
   * As {@link #accept(NewJob)}, under an Idempotency-Key (null: none): the key is claimed in the
   * transaction that stores the job, so of any number of requests with one key exactly one stores a job
   * and every other gets its receipt, {@code replayed}; a different request with a key already used is
   * refused with {@link IdempotencyKeyReused}.
   */
  public Receipt accept(NewJob request, IdempotencyKey key) {
    PipelineDefinition pipeline = request.pipeline();
    ObjectNode payload = pipeline.intake().validate(request.payload().deepCopy());
    NextStage start = pipeline.start(request.initialStage(), payload);
    NewJob job = request.accepted(payload, start.stage().orElseThrow(() -> new InvalidField("payload",
        "this payload would skip every stage of the " + pipeline.name() + " pipeline")));
    if (key == null && job.scheduledAt() == null) {
      UUID id = groups.store(new AcceptedJobs.AcceptedJob(job, start.skipped()));
      return new Receipt(id, JobStatus.QUEUED, job.initialStage(), null, false);
    }
    Receipt receipt = jdbi.inTransaction(h -> {
      if (key != null) {
        Optional<JsonNode> earlier = IdempotencyKeys.claim(h, key);
        if (earlier.isPresent()) {
          return Receipt.replayOf(earlier.get());
        }
      }
      JobRepository.InsertedJob inserted = jobs.insertJob(h, job,
          job.retry().orElse(pipeline.retry()).orElse(retryPolicy.settings()), mailRequesters);
      UUID id = inserted.id();
      boolean queueNow = inserted.status() == JobStatus.QUEUED;
      jobs.insertStages(h, id, job, retryPolicy.settings(), visibility.forQueue(pipeline.queue()), queueNow);
      for (String skipped : start.skipped()) {
        jobs.event(h, id, pipeline.name(), skipped, "skipped", "Stage " + skipped + " skipped", null);
      }
      pipeline.intake().accepted(h, id, job.payload());
      ObjectNode metadata = Json.object();
      metadata.putPOJO("payload_keys", job.payload().properties().stream().map(Map.Entry::getKey).toList());
      if (queueNow) {
        jobs.event(h, id, pipeline.name(), job.initialStage(), "queued", "Job queued by intake", metadata);
        sendFirstMessage(h, pipeline, id, job.initialStage(), job.payload(), job.priority());
      } else {
        metadata.put("scheduled_at", job.scheduledAt().toString());
        jobs.event(h, id, pipeline.name(), job.initialStage(), "scheduled", "Job scheduled for later by intake", metadata);
      }
      Receipt stored = new Receipt(id, inserted.status(), job.initialStage(), job.scheduledAt(), false);
      if (key != null) {
        IdempotencyKeys.answer(h, key, stored.toJson());
      }
      return stored;
    });
    if (receipt.replayed()) {
      return receipt;
    }
    if (receipt.status() == JobStatus.QUEUED) {
      announceFirstMessage(pipeline, job.initialStage());
    }
    changes.changed();
    return receipt;
  }

  /** After a group's commit: wakes the stages that got first messages and tells the change feed. */
  private void committed(Set<String> queuesAndStages) {
    for (String queueAndStage : queuesAndStages) {
      int newline = queueAndStage.indexOf('\n');
      announcer.announce(queueAndStage.substring(0, newline), queueAndStage.substring(newline + 1));
    }
    changes.changed();
  }

  /** The first stage's message, in the caller's transaction: at intake, or at the promotion of a scheduled job. */
  void sendFirstMessage(Handle h, PipelineDefinition pipeline, UUID jobId, String stage, JsonNode payload, int priority) {
    queue.send(h, pipeline.queue(), stage, jobId, payload, SendOptions.priority(priority));
  }

  /** Call after a commit that wrote job events outside {@link #accept} (the promotion of scheduled jobs). */
  void changesCommitted() {
    changes.changed();
  }

  /** Call after the commit that sent first messages to the stage. */
  void announceFirstMessage(PipelineDefinition pipeline, String stage) {
    announcer.announce(pipeline.queue(), stage);
  }

  /** Jobs handed in for a group commit and not yet taken into a transaction. */
  int waitingForGroup() {
    return groups.waiting();
  }

  /** Stores the jobs already waiting for a group, then refuses new ones. */
  @Override
  public void close() {
    groups.close();
  }
}
