package io.planperfect.engine;

import io.planperfect.json.Json;
import io.planperfect.queue.QueueMessage;
import java.time.Duration;
import java.util.Optional;
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

  public StageExecutor(Jdbi jdbi, JobRepository jobs, Pipelines pipelines, StageTransitions transitions,
      RetryWakeups retryWakeups) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.pipelines = pipelines;
    this.transitions = transitions;
    this.retryWakeups = retryWakeups;
  }

  public void execute(QueueMessage message) {
    Optional<StageAttempt> begun = begin(message);
    if (begun.isEmpty()) {
      return;
    }
    StageAttempt attempt = begun.get();
    try {
      transitions.complete(attempt, attempt.pipeline().handler(attempt.stage()).run(attempt.context()));
    } catch (StaleLeaseException stale) {
      log.warn("{}", stale.getMessage());
    } catch (Exception | LinkageError | AssertionError failure) {
      failed(attempt, failure);
    }
  }

  private void failed(StageAttempt attempt, Throwable failure) {
    if (Thread.currentThread().isInterrupted() && failure instanceof InterruptedException) {
      log.info("stage interrupted by shutdown, message left for another node: {}", attempt);
      return;
    }
    log.warn("stage failed: {} error={}", attempt, failure.toString());
    try {
      transitions.fail(attempt, failure)
          .ifPresent(delay -> retryWakeups.wakeAfter(attempt.message().queue(), attempt.stage(), delay));
    } catch (StaleLeaseException stale) {
      log.warn("{}", stale.getMessage());
    }
  }

  private Optional<StageAttempt> begin(QueueMessage message) {
    PipelineDefinition pipeline = pipelines.forQueue(message.queue());
    return jdbi.inTransaction(h -> {
      Optional<JobRepository.LockedJob> job = jobs.lockJob(h, message.jobId());
      Optional<int[]> counts = job.filter(j -> !j.status().isFinished())
          .flatMap(j -> jobs.beginAttempt(h, message.jobId(), message.stage()));
      if (job.isEmpty() || counts.isEmpty()) {
        log.info("discarding message {} of job {} stage {}: job finished, missing or stage already done",
            message.msgId(), message.jobId(), message.stage());
        StageAttempt stale = new StageAttempt(message, pipeline, null, 0, 0, 0, Json.object(), java.util.Map.of());
        transitions.discardStale(h, stale);
        return Optional.<StageAttempt>empty();
      }
      jobs.event(h, message.jobId(), pipeline.name(), message.stage(), "processing",
          "Stage " + message.stage() + " started", Json.object().put("attempt", counts.get()[0]));
      return Optional.of(new StageAttempt(message, pipeline, job.get().jobType(), counts.get()[0], counts.get()[1],
          job.get().priority(), job.get().payload(), jobs.results(h, message.jobId())));
    });
  }

  /** Wakes a stage's claim loop when a delayed retry becomes visible. */
  public interface RetryWakeups {
    void wakeAfter(String queue, String stage, Duration delay);
  }

}
