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
import java.util.function.Supplier;
import io.planperfect.queue.QueueMessage;
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
  private final AttemptObserver observer;
  private final String node;

  /** {@code observer} is told how each attempt ends; {@code node} names this node in the log context of a run. */
  public StageExecutor(StageTransitions transitions, RetryWakeups retryWakeups, Heartbeats heartbeats, StageHooks hooks,
      ModelLedger ledger, AttemptObserver observer, String node) {
    this.observer = observer;
    this.node = node;
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
    try (StageLogContext logContext = StageLogContext.enter(attempt, node)) {
      return runAndObserve(attempt);
    }
  }

  private boolean runAndObserve(StageAttempt attempt) {
    if (attempt.exhausted()) {
      end(attempt, () -> deadLetterUnfinished(attempt), Duration.ZERO, List.of());
      return true;
    }
    observer.started(attempt, firstDeliveryWait(attempt.message()));
    StageOutcome outcome = null;
    Throwable failure = null;
    ModelUsage usage = ledger.forAttempt(attempt);
    long started = System.nanoTime();
    try (Heartbeats.Watch watch = heartbeats.watch(attempt.message())) {
      try {
        outcome = Objects.requireNonNull(attempt.pipeline().handler(attempt.stage()).run(attempt.context(usage)),
            "the stage handler returned no outcome");
      } catch (Exception | LinkageError | AssertionError e) {
        failure = e;
      }
      if (watch.leaseLost()) {
        Duration ran = Duration.ofNanos(System.nanoTime() - started);
        end(attempt, () -> staleAck(attempt, "lease lost while the stage ran (cancelled, or taken by another consumer)"),
            ran, List.of());
        return true;
      }
      if (watch.timeout() != null) {
        failure = watch.timeout();
      }
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - started);
    List<ModelCall> calls = usage.calls();
    if (failure != null) {
      Throwable failed = failure;
      end(attempt, () -> failed(attempt, failed, calls), ran, calls);
      return true;
    }
    if (outcome instanceof StageOutcome.RetryLater later) {
      end(attempt, () -> waiting(attempt, later, calls), ran, calls);
      return true;
    }
    return completed(attempt, ((StageOutcome.Completed) outcome).result(), calls, ran);
  }

  private boolean completed(StageAttempt attempt, ObjectNode result, List<ModelCall> calls, Duration ran) {
    AttemptObserver.End end = AttemptObserver.End.ERROR;
    try {
      boolean backlog = transitions.complete(attempt, result, calls);
      end = AttemptObserver.End.COMPLETED;
      return backlog;
    } catch (StaleLeaseException stale) {
      end = staleAck(attempt, stale.getMessage());
      return true;
    } finally {
      observer.ended(attempt, end, ran, calls);
    }
  }

  /** Runs the end of an attempt and tells the observer how it ended (ERROR when the end itself threw). */
  private void end(StageAttempt attempt, Supplier<AttemptObserver.End> ending, Duration ran, List<ModelCall> calls) {
    AttemptObserver.End end = AttemptObserver.End.ERROR;
    try {
      end = ending.get();
    } finally {
      observer.ended(attempt, end, ran, calls);
    }
  }

  /** How long a first delivery waited since its message was sent; empty for a redelivery or a retry. */
  private static Optional<Duration> firstDeliveryWait(QueueMessage message) {
    if (message.readCount() != 1 || message.enqueuedAt() == null) {
      return Optional.empty();
    }
    Duration waited = Duration.between(message.enqueuedAt().toInstant(), java.time.Instant.now());
    return Optional.of(waited.isNegative() ? Duration.ZERO : waited);
  }

  /** Acks rejected because the lease no longer matched, since this node started. */
  public long staleAcks() {
    return staleAcks.get();
  }

  private AttemptObserver.End waiting(StageAttempt attempt, StageOutcome.RetryLater later, List<ModelCall> calls) {
    try {
      Optional<Duration> delay = transitions.waitLater(attempt, later, calls);
      if (delay.isEmpty()) {
        return failed(attempt, new StageWaitExceeded(attempt, later), calls);
      }
      retryWakeups.wakeAfter(attempt.message().queue(), attempt.stage(), delay.get());
      return AttemptObserver.End.WAITING;
    } catch (StaleLeaseException stale) {
      return staleAck(attempt, stale.getMessage());
    }
  }

  private AttemptObserver.End failed(StageAttempt attempt, Throwable failure, List<ModelCall> calls) {
    log.warn("stage failed: {} error={}", attempt, failure.toString());
    try {
      Optional<Duration> retry = transitions.fail(attempt, failure, calls);
      retry.ifPresent(delay -> retryWakeups.wakeAfter(attempt.message().queue(), attempt.stage(), delay));
      return retry.isPresent() ? AttemptObserver.End.RETRY : AttemptObserver.End.DEAD_LETTERED;
    } catch (StaleLeaseException stale) {
      return staleAck(attempt, stale.getMessage());
    }
  }

  private AttemptObserver.End staleAck(StageAttempt attempt, String reason) {
    staleAcks.incrementAndGet();
    log.warn("ack rejected, result not applied: {} ({})", attempt, reason);
    try {
      transitions.recordStaleAck(attempt, reason);
    } catch (RuntimeException e) {
      log.warn("could not record the rejected ack of {}: {}", attempt, e.toString());
    }
    return AttemptObserver.End.STALE_ACK;
  }

  private AttemptObserver.End deadLetterUnfinished(StageAttempt attempt) {
    try {
      transitions.deadLetterUnfinished(attempt);
      return AttemptObserver.End.DEAD_LETTERED;
    } catch (StaleLeaseException stale) {
      return staleAck(attempt, stale.getMessage());
    }
  }

  /** Wakes a stage's claim loop when a delayed retry becomes visible. */
  public interface RetryWakeups {
    void wakeAfter(String queue, String stage, Duration delay);
  }

}
