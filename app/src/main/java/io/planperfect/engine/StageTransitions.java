package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.queue.DeadLetter;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueMessage;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The end of a stage attempt, each outcome one transaction guarded by the message's lease:
 * either the result, the stage's completion, the job's move, the next message and the archive
 * of this message all commit, or none does.
 */
public final class StageTransitions {
  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final WorkAnnouncer announcer;
  private final RetryPolicy retryPolicy;

  public StageTransitions(Jdbi jdbi, JobRepository jobs, MessageQueue queue, WorkAnnouncer announcer, RetryPolicy retryPolicy) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
    this.announcer = announcer;
    this.retryPolicy = retryPolicy;
  }

  /** Stores the result and hands the job to the next stage, or completes it after the last. */
  public void complete(StageAttempt attempt, ObjectNode result) {
    String pipeline = attempt.pipeline().name();
    Optional<String> next = attempt.pipeline().nextStage(attempt.stage());
    jdbi.useTransaction(h -> {
      archiveOrFail(h, attempt);
      jobs.saveResult(h, attempt.jobId(), pipeline, attempt.stage(), result);
      jobs.completeStage(h, attempt.jobId(), attempt.stage());
      jobs.event(h, attempt.jobId(), pipeline, attempt.stage(), "completed",
          "Stage " + attempt.stage() + " completed", attemptMetadata(attempt));
      if (next.isPresent()) {
        handOver(h, attempt, next.get());
      } else {
        jobs.completeJob(h, attempt.jobId(), result);
        jobs.event(h, attempt.jobId(), pipeline, attempt.stage(), "job_completed", "Job completed", null);
      }
    });
    next.ifPresent(stage -> announcer.announce(attempt.message().queue(), stage));
  }

  /**
   * Records a failed attempt: another attempt after the backoff while attempts remain and the
   * failure is retryable; otherwise the dead letters and a failed job. Returns the retry delay,
   * or empty when the job was dead-lettered.
   */
  public Optional<Duration> fail(StageAttempt attempt, Throwable error) {
    ObjectNode errorDoc = StageError.describe(error, attempt.attempt());
    boolean retryable = !(error instanceof PermanentStageFailure) && attempt.attempt() < attempt.maxAttempts();
    return jdbi.inTransaction(h -> {
      jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "error",
          "Stage " + attempt.stage() + " failed: " + error.getMessage(), errorDoc);
      return retryable ? Optional.of(scheduleRetry(h, attempt, errorDoc)) : deadLetter(h, attempt, error, errorDoc);
    });
  }

  /**
   * Dead-letters a stage whose earlier runs never finished (the worker died each time), within
   * the caller's transaction, without running it again.
   */
  public void deadLetterUnfinished(Handle h, StageAttempt attempt) {
    int unfinished = attempt.attempt() - 1;
    ObjectNode errorDoc = Json.object().put("message", "the stage was started " + unfinished
        + " times and never finished (its worker stopped mid-run each time)").put("attempt", unfinished);
    StageAttempt recorded = new StageAttempt(attempt.message(), attempt.pipeline(), attempt.jobType(), unfinished,
        attempt.maxAttempts(), attempt.priority(), attempt.retryDelay(), attempt.jobPayload(), attempt.previousResults());
    jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "error", errorDoc.get("message").asText(), errorDoc);
    deadLetter(h, recorded, new IllegalStateException("Exceeded max attempts: " + errorDoc.get("message").asText()), errorDoc);
  }

  /** Leaves an event saying that a run's result was rejected because its lease no longer matched. */
  public void recordStaleAck(StageAttempt attempt, String reason) {
    jdbi.useHandle(h -> jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "stale_ack",
        "Result of attempt " + attempt.attempt() + " rejected: " + reason, attemptMetadata(attempt)));
  }

  /** Archives a message whose job is already finished (cancelled or done), without running it. */
  public void discardStale(Handle h, QueueMessage message) {
    queue.archive(h, message.msgId(), message.lease());
  }

  private void handOver(Handle h, StageAttempt attempt, String next) {
    jobs.queueStage(h, attempt.jobId(), next);
    ObjectNode payload = Json.object().put("from", attempt.stage());
    queue.send(h, attempt.message().queue(), next, attempt.jobId(), payload, SendOptions.priority(attempt.priority()));
    jobs.event(h, attempt.jobId(), attempt.pipeline().name(), next, "queued", "Job queued for " + next, null);
  }

  private Duration scheduleRetry(Handle h, StageAttempt attempt, ObjectNode errorDoc) {
    Duration delay = retryPolicy.delayAfter(attempt.attempt(), attempt.retryDelay());
    if (!queue.retryLater(h, attempt.message().msgId(), attempt.message().lease(), delay)) {
      throw new StaleLeaseException(attempt);
    }
    jobs.scheduleRetry(h, attempt.jobId(), attempt.stage(), errorDoc, delay);
    ObjectNode metadata = attemptMetadata(attempt).put("delay_ms", delay.toMillis());
    jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "retry_scheduled",
        "Retry " + (attempt.attempt() + 1) + " of " + attempt.maxAttempts() + " in " + delay.toMillis() + " ms", metadata);
    return delay;
  }

  private Optional<Duration> deadLetter(Handle h, StageAttempt attempt, Throwable error, ObjectNode errorDoc) {
    String reason = error instanceof PermanentStageFailure
        ? "Permanent failure: " + error.getMessage()
        : "Max retry attempts exceeded";
    QueueMessage message = attempt.message();
    boolean moved = queue.moveToDeadLetter(h, new DeadLetter(attempt.pipeline().name(), message.queue(), message.msgId(),
        message.lease(), message.jobId(), message.stage(), message.message(), reason, errorDoc, attempt.attempt()));
    if (!moved) {
      throw new StaleLeaseException(attempt);
    }
    jobs.markDeadLettered(h, attempt.jobId(), attempt.stage(), reason, errorDoc);
    jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "dead_lettered", reason, errorDoc);
    return Optional.empty();
  }

  private void archiveOrFail(Handle h, StageAttempt attempt) {
    if (!queue.archive(h, attempt.message().msgId(), attempt.message().lease())) {
      throw new StaleLeaseException(attempt);
    }
  }

  /**
   * The run's attempt, message and delivery (the message's read_ct at this run's claim). why the
   * delivery: attempts are numbered when a run begins, deliveries when it is claimed, and only the
   * latest delivery holds the lease, so it tells which run's ack was the rightful one.
   */
  static ObjectNode attemptMetadata(StageAttempt attempt) {
    return Json.object().put("attempt", attempt.attempt()).put("msg_id", attempt.message().msgId())
        .put("delivery", attempt.message().readCount());
  }

}
