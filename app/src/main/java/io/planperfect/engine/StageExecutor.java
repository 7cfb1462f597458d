package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.ModelCall;
import io.planperfect.pipeline.ModelUsage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one begun attempt (see {@link StageClaims}, which claims the message and begins the attempt
 * in one transaction): the stage's handler with no transaction open, then the end of the attempt
 * through {@link StageTransitions}. An exhausted attempt is dead-lettered without running.
 */
public final class StageExecutor {
  private static final Logger log = LoggerFactory.getLogger(StageExecutor.class);

  private final StageTransitions transitions;
  private final RetryWakeups retryWakeups;
  private final Heartbeats heartbeats;
  private final StageHooks hooks;
  private final ModelLedger ledger;
  private final AtomicLong staleAcks = new AtomicLong();

  public StageExecutor(StageTransitions transitions, RetryWakeups retryWakeups, Heartbeats heartbeats, StageHooks hooks,
      ModelLedger ledger) {
    this.transitions = transitions;
    this.ledger = ledger;
    this.hooks = hooks;
    this.retryWakeups = retryWakeups;
    this.heartbeats = heartbeats;
  }

  /**
   * Runs the attempt to its end. Returns whether the stage slot it frees may be wanted elsewhere
   * (the stage has messages waiting, or the run did not complete), so that it is worth announcing.
   */
  public boolean execute(StageAttempt attempt) {
    hooks.reached(StageHooks.Point.CLAIMED, attempt);
    if (attempt.exhausted()) {
      deadLetterUnfinished(attempt);
      return true;
    }
    StageOutcome outcome = null;
    Throwable failure = null;
    ModelUsage usage = ledger.forAttempt(attempt);
    try (Heartbeats.Watch watch = heartbeats.watch(attempt.message())) {
      try {
        outcome = Objects.requireNonNull(attempt.pipeline().handler(attempt.stage()).run(attempt.context(usage)),
            "the stage handler returned no outcome");
      } catch (Exception | LinkageError | AssertionError e) {
        failure = e;
      }
      if (watch.leaseLost()) {
        staleAck(attempt, "lease lost while the stage ran (cancelled, or taken by another consumer)");
        return true;
      }
      if (watch.timeout() != null) {
        failure = watch.timeout();
      }
    }
    List<ModelCall> calls = usage.calls();
    if (failure != null) {
      failed(attempt, failure, calls);
      return true;
    }
    if (outcome instanceof StageOutcome.RetryLater later) {
      return waiting(attempt, later, calls);
    }
    return completed(attempt, ((StageOutcome.Completed) outcome).result(), calls);
  }

  /** Acks rejected because the lease no longer matched, since this node started. */
  public long staleAcks() {
    return staleAcks.get();
  }

  private boolean completed(StageAttempt attempt, ObjectNode result, List<ModelCall> calls) {
    try {
      return transitions.complete(attempt, result, calls);
    } catch (StaleLeaseException stale) {
      staleAck(attempt, stale.getMessage());
      return true;
    }
  }

  private boolean waiting(StageAttempt attempt, StageOutcome.RetryLater later, List<ModelCall> calls) {
    try {
      Optional<Duration> delay = transitions.waitLater(attempt, later, calls);
      if (delay.isPresent()) {
        retryWakeups.wakeAfter(attempt.message().queue(), attempt.stage(), delay.get());
      } else {
        failed(attempt, new StageWaitExceeded(attempt, later), calls);
      }
    } catch (StaleLeaseException stale) {
      staleAck(attempt, stale.getMessage());
    }
    return true;
  }

  private void failed(StageAttempt attempt, Throwable failure, List<ModelCall> calls) {
    log.warn("stage failed: {} error={}", attempt, failure.toString());
    try {
      transitions.fail(attempt, failure, calls)
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

  private void deadLetterUnfinished(StageAttempt attempt) {
    try {
      transitions.deadLetterUnfinished(attempt);
    } catch (StaleLeaseException stale) {
      staleAck(attempt, stale.getMessage());
    }
  }

  /** Wakes a stage's claim loop when a delayed retry becomes visible. */
  public interface RetryWakeups {
    void wakeAfter(String queue, String stage, Duration delay);
  }

}
