package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.queue.QueueMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed message: begins the attempt (one short transaction), runs the stage's
 * handler with no transaction open, then ends the attempt through {@link StageTransitions}.
 */
public final class StageExecutor {
  private static final Logger log = LoggerFactory.getLogger(StageExecutor.class);

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final Pipelines pipelines;
  private final StageTransitions transitions;
  private final RetryWakeups retryWakeups;
  private final Heartbeats heartbeats;
  private final RetryPolicy retryPolicy;
  private final AtomicLong staleAcks = new AtomicLong();

  public StageExecutor(Jdbi jdbi, JobRepository jobs, Pipelines pipelines, StageTransitions transitions,
      RetryWakeups retryWakeups, Heartbeats heartbeats, RetryPolicy retryPolicy) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.pipelines = pipelines;
    this.transitions = transitions;
    this.retryWakeups = retryWakeups;
    this.heartbeats = heartbeats;
    this.retryPolicy = retryPolicy;
  }

  public void execute(QueueMessage message) {
    Optional<StageAttempt> begun = begin(message);
    if (begun.isEmpty()) {
      return;
    }
    StageAttempt attempt = begun.get();
    ObjectNode result = null;
    Throwable failure = null;
    try (Heartbeats.Watch watch = heartbeats.watch(message)) {
      try {
        result = attempt.pipeline().handler(attempt.stage()).run(attempt.context());
      } catch (Exception | LinkageError | AssertionError e) {
        failure = e;
      }
      if (watch.leaseLost()) {
        staleAck(attempt, "lease lost while the stage ran (cancelled, or taken by another consumer)");
        return;
      }
      if (watch.timeout() != null) {
        failure = watch.timeout();
      }
    }
    if (failure == null) {
      completed(attempt, result);
    } else {
      failed(attempt, failure);
    }
  }

  /** Acks rejected because the lease no longer matched, since this node started. */
  public long staleAcks() {
    return staleAcks.get();
  }

  private void completed(StageAttempt attempt, ObjectNode result) {
    try {
      transitions.complete(attempt, result);
    } catch (StaleLeaseException stale) {
      staleAck(attempt, stale.getMessage());
    }
  }

  private void failed(StageAttempt attempt, Throwable failure) {
    log.warn("stage failed: {} error={}", attempt, failure.toString());
    try {
      transitions.fail(attempt, failure)
          .ifPresent(delay -> retryWakeups.wakeAfter(attempt.message().queue(), attempt.stage(), delay));
    } catch (StaleLeaseException stale) {
      staleAck(attempt, stale.getMessage());
    }
  }

  private void staleAck(StageAttempt attempt, String reason) {
    staleAcks.incrementAndGet();
    log.warn("ack rejected, result not applied: {} ({})", attempt, reason);
    try {
      transitions.recordStaleAck(attempt, reason);
    } catch (RuntimeException e) {
      log.warn("could not record the rejected ack of {}: {}", attempt, e.toString());
    }
  }

  /**
   * Begins the attempt in one transaction: a message whose job is finished or whose stage is done
   * is archived unrun; a stage already begun max_attempts times without finishing is dead-lettered.
   */
  private Optional<StageAttempt> begin(QueueMessage message) {
    PipelineDefinition pipeline = pipelines.forQueue(message.queue());
    return jdbi.inTransaction(h -> {
      Optional<JobRepository.LockedJob> job = jobs.lockJob(h, message.jobId()).filter(j -> !j.status().isFinished());
      Optional<AttemptCount> count = job.flatMap(j ->
          jobs.beginAttempt(h, message.jobId(), message.queue(), message.stage(), retryDefaults(pipeline, message.stage())));
      if (count.isEmpty()) {
        log.info("archiving message {} of job {} stage {} unrun: job finished or missing, or stage done",
            message.msgId(), message.jobId(), message.stage());
        transitions.discardStale(h, message);
        return Optional.<StageAttempt>empty();
      }
      StageAttempt attempt = new StageAttempt(message, pipeline, job.get().jobType(), count.get().attempt(),
          count.get().maxAttempts(), job.get().priority(), Duration.ofSeconds(count.get().retryDelaySeconds()),
          job.get().payload(), jobs.results(h, message.jobId()));
      if (count.get().exhausted()) {
        transitions.deadLetterUnfinished(h, attempt);
        return Optional.<StageAttempt>empty();
      }
      jobs.event(h, message.jobId(), pipeline.name(), message.stage(), "processing",
          "Stage " + message.stage() + " started", StageTransitions.attemptMetadata(attempt));
      return Optional.of(attempt);
    });
  }

  /** The code's retry settings for the stage: its definition's, else its pipeline's, else the node's. */
  private RetrySettings retryDefaults(PipelineDefinition pipeline, String stage) {
    RetrySettings defined = pipeline.hasStage(stage) ? pipeline.retryFor(stage) : pipeline.retry();
    return defined.orElse(retryPolicy.settings());
  }

  /** Wakes a stage's claim loop when a delayed retry becomes visible. */
  public interface RetryWakeups {
    void wakeAfter(String queue, String stage, Duration delay);
  }

}
