package io.planperfect.engine;

import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.RetrySettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.queue.DeadLetter;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueMessage;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.pipeline.ModelCall;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The end of a stage attempt, each outcome one transaction guarded by the message's lease:
 * either the result, the stage's completion, the job's move, the next message and the archive
 * of this message all commit, or none does. Each takes the job row first, as cancel does.
 */
public final class StageTransitions {
  // why one call: the whole successful transition is one round trip and one commit (V14); with a
  // free runner for the next stage, the same commit also claims and begins its attempt (V16).
  // positional: bound by HotStatement on the handle's connection (see there why not Jdbi's named binds)
  private static final String COMPLETE = """
      select * from complete_stage_attempt_and_claim_next(?, ?, ?, ?, ?, ?, ?,
          ?, cast(? as jsonb), ?, ?, ?, ?, ?,
          ?, ?)""";

  private static final String WAIT = """
      select wait_stage_attempt(:msgId, :lease, :delivery, :jobId, :pipeline, :stage, :attempt, :delay, :reason, :maxWait)""";

  /** The shortest delay a RetryLater gets. */
  static final Duration MIN_WAIT = Duration.ofSeconds(1);

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final WorkAnnouncer announcer;
  private final RetryPolicy retryPolicy;
  private final StageClaims claims;
  private final NextStageRunners nextRunners;
  private final StageHooks hooks;
  private final JobChangeSignal changes;

  public StageTransitions(Jdbi jdbi, JobRepository jobs, MessageQueue queue, WorkAnnouncer announcer, RetryPolicy retryPolicy,
      StageClaims claims, NextStageRunners nextRunners, StageHooks hooks, JobChangeSignal changes) {
    this.changes = changes;
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
    this.announcer = announcer;
    this.retryPolicy = retryPolicy;
    this.claims = claims;
    this.nextRunners = nextRunners;
    this.hooks = hooks;
  }

  /**
   * Stores the result and hands the job to the next stage, or completes it after the last. When
   * this node has a free runner for the next stage, the same transaction claims the head of that
   * stage's ready messages (normally the job's own) and the runner starts it as soon as it commits.
   * Returns whether this stage has messages waiting, so that the slot it freed is worth announcing.
   */
  public boolean complete(StageAttempt attempt, ObjectNode result) {
    return complete(attempt, result, List.of());
  }

  /**
   * As {@link #complete(StageAttempt, ObjectNode)}, with the model calls the attempt made written to the
   * usage ledger in the same transaction (an attempt without calls pays no extra statement or round trip).
   */
  public boolean complete(StageAttempt attempt, ObjectNode result, List<ModelCall> calls) {
    // why here: skip predicates are decided when the job reaches a stage; the call marks the stages
    // passed over (every pending one between this stage and the next) skipped in the same commit.
    Optional<String> next = attempt.pipeline().after(attempt.stage(), attempt.jobPayload()).stage();
    String queueName = attempt.message().queue();
    Optional<NextStageRunners.Runner> runner = next.flatMap(stage -> nextRunners.reserve(queueName, stage));
    Completion completion;
    try {
      // why a transaction only for hooks that step in before the commit (or model calls to record): the
      // call commits by itself; a fault test needs a moment between the transition and its commit, which
      // costs production a round trip it need not pay.
      completion = !hooks.watchesUncommitted() && calls.isEmpty()
          ? jdbi.withHandle(h -> completeCall(h, attempt, result, next, runner))
          : jdbi.inTransaction(h -> {
              Completion done = completeCall(h, attempt, result, next, runner);
              if (done.applied()) {
                ModelLedger.write(h, attempt, calls);
              }
              hooks.reached(StageHooks.Point.RESULT_UNCOMMITTED, attempt);
              return done;
            });
    } catch (RuntimeException e) {
      runner.ifPresent(NextStageRunners.Runner::release);
      throw e;
    }
    if (!completion.applied()) {
      runner.ifPresent(NextStageRunners.Runner::release);
      throw new StaleLeaseException(attempt);
    }
    hooks.reached(StageHooks.Point.RESULT_COMMITTED, attempt);
    changes.changed();
    Optional<StageAttempt> claimed = completion.next();
    if (claimed.isPresent()) {
      runner.get().start(claimed.get());
    } else {
      runner.ifPresent(NextStageRunners.Runner::release);
    }
    // why: unless the chained claim took the job's own next message, it waits for a claim loop.
    boolean handedOn = claimed.map(a -> a.jobId().equals(attempt.jobId())).orElse(false);
    if (!handedOn) {
      next.ifPresent(stage -> announcer.announce(queueName, stage));
    }
    return completion.stageBacklog();
  }

  /**
   * Whether the transition applied (the lease still held), whether its stage has messages waiting,
   * and the next stage's attempt it began, if any.
   */
  private record Completion(boolean applied, boolean stageBacklog, Optional<StageAttempt> next) {}

  private Completion completeCall(Handle h, StageAttempt attempt, ObjectNode result, Optional<String> next,
      Optional<NextStageRunners.Runner> runner) {
    QueueMessage message = attempt.message();
    // the next stage's retry settings, for the attempt a chained claim begins
    RetrySettings defaults = runner.isPresent() ? claims.retryDefaults(attempt.pipeline(), next.orElseThrow()) : null;
    try (PreparedStatement call = h.getConnection().prepareStatement(COMPLETE)) {
      call.setLong(1, message.msgId());
      call.setObject(2, message.lease());
      call.setInt(3, message.readCount());
      call.setObject(4, attempt.jobId());
      call.setString(5, attempt.pipeline().name());
      call.setString(6, message.queue());
      call.setString(7, attempt.stage());
      call.setInt(8, attempt.attempt());
      call.setString(9, Json.write(result));
      HotStatement.setText(call, 10, next.orElse(null));
      call.setInt(11, attempt.priority());
      call.setBoolean(12, runner.isPresent());
      HotStatement.setDouble(call, 13, runner.map(r -> r.visibility().toMillis() / 1000.0).orElse(null));
      HotStatement.setInteger(call, 14, runner.map(NextStageRunners.Runner::maxOverride).orElse(null));
      HotStatement.setInteger(call, 15, defaults == null ? null : defaults.maxAttempts());
      HotStatement.setInteger(call, 16, defaults == null ? null : defaults.retryDelaySeconds());
      try (ResultSet rs = call.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("complete_stage_attempt_and_claim_next returned no row for " + attempt);
        }
        return new Completion(rs.getBoolean("applied"), rs.getBoolean("stage_backlog"),
            rs.getObject("msg_id") == null ? Optional.empty() : StageClaims.fromRow(rs, attempt.pipeline()));
      }
    } catch (SQLException e) {
      throw new StatementFailed("completing " + attempt, e);
    }
  }

  /**
   * A run that answered {@code RetryLater}: its message comes back after the delay with no attempt
   * counted, a "waiting" event says why; one call, fenced by the lease. Returns the delay it waits
   * (at least {@link #MIN_WAIT}), or empty, having done nothing, when the stage has waited longer
   * than its maximum in this attempt (the caller fails it).
   */
  public Optional<Duration> waitLater(StageAttempt attempt, StageOutcome.RetryLater later) {
    return waitLater(attempt, later, List.of());
  }

  /** As {@link #waitLater(StageAttempt, StageOutcome.RetryLater)}, with the attempt's model calls written when it waits. */
  public Optional<Duration> waitLater(StageAttempt attempt, StageOutcome.RetryLater later, List<ModelCall> calls) {
    // why a floor: a handler answering "later" with no delay would spin claim, run, wait for its whole maximum
    Duration delay = later.delay().compareTo(MIN_WAIT) < 0 ? MIN_WAIT : later.delay();
    String outcome = calls.isEmpty()
        ? jdbi.withHandle(h -> waitCall(h, attempt, later, delay))
        : jdbi.inTransaction(h -> {
            String waited = waitCall(h, attempt, later, delay);
            if ("waiting".equals(waited)) {
              ModelLedger.write(h, attempt, calls);
            }
            return waited;
          });
    switch (outcome) {
      case "waiting" -> {
        changes.changed();
        return Optional.of(delay);
      }
      case "exceeded" -> {
        return Optional.empty();
      }
      default -> throw new StaleLeaseException(attempt);
    }
  }

  private static String waitCall(Handle h, StageAttempt attempt, StageOutcome.RetryLater later, Duration delay) {
    QueueMessage message = attempt.message();
    return h.createQuery(WAIT)
        .bind("msgId", message.msgId())
        .bind("lease", message.lease())
        .bind("delivery", message.readCount())
        .bind("jobId", attempt.jobId())
        .bind("pipeline", attempt.pipeline().name())
        .bind("stage", attempt.stage())
        .bind("attempt", attempt.attempt())
        .bind("delay", delay.toMillis() / 1000.0)
        .bind("reason", later.reason())
        .bind("maxWait", attempt.pipeline().stage(attempt.stage()).maxWait().toMillis() / 1000.0)
        .mapTo(String.class)
        .one();
  }

  /**
   * Records a failed attempt: another attempt after the backoff while attempts remain and the
   * failure is retryable; otherwise the dead letters and a failed job. Returns the retry delay,
   * or empty when the job was dead-lettered.
   */
  public Optional<Duration> fail(StageAttempt attempt, Throwable error) {
    return fail(attempt, error, List.of());
  }

  /** As {@link #fail(StageAttempt, Throwable)}, with the failed attempt's model calls kept in the usage ledger. */
  public Optional<Duration> fail(StageAttempt attempt, Throwable error, List<ModelCall> calls) {
    ObjectNode errorDoc = StageError.describe(error, attempt.attempt());
    boolean retryable = !(error instanceof PermanentStageFailure) && attempt.attempt() < attempt.maxAttempts();
    Optional<Duration> retry = jdbi.inTransaction(h -> {
      jobs.lockJobRow(h, attempt.jobId());
      ModelLedger.write(h, attempt, calls);
      jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "error",
          "Stage " + attempt.stage() + " failed: " + error.getMessage(), errorDoc);
      return retryable ? Optional.of(scheduleRetry(h, attempt, errorDoc)) : deadLetter(h, attempt, error, errorDoc);
    });
    changes.changed();
    return retry;
  }

  /**
   * Dead-letters a stage whose earlier runs never finished (the worker died each time), without
   * running it again.
   */
  public void deadLetterUnfinished(StageAttempt attempt) {
    jdbi.useTransaction(h -> {
      jobs.lockJobRow(h, attempt.jobId());
      deadLetterUnfinished(h, attempt);
    });
    changes.changed();
  }

  private void deadLetterUnfinished(Handle h, StageAttempt attempt) {
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
    // why the job's row: the run that holds the lease now may be in a transition of this job; the event
    // is numbered after that transition's, as every event of a job is (see JobRepository.event)
    jdbi.useTransaction(h -> {
      jobs.lockJobRow(h, attempt.jobId());
      jobs.event(h, attempt.jobId(), attempt.pipeline().name(), attempt.stage(), "stale_ack",
          "Result of attempt " + attempt.attempt() + " rejected: " + reason, attemptMetadata(attempt));
    });
    changes.changed();
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

  /**
   * The run's attempt, message and delivery (the message's read_ct at this run's claim). why the
   * delivery: attempts are numbered when a run begins, deliveries when it is claimed, and only the
   * latest delivery holds the lease, so it tells which run's ack was the rightful one.
   */
  private static ObjectNode attemptMetadata(StageAttempt attempt) {
    return Json.object().put("attempt", attempt.attempt()).put("msg_id", attempt.message().msgId())
        .put("delivery", attempt.message().readCount());
  }

}
