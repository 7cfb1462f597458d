package io.planperfect.worker;

import io.planperfect.engine.NextStageRunners;
import io.planperfect.engine.StageAttempt;
import io.planperfect.engine.StageClaims;
import io.planperfect.engine.StageExecutor;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueMessage;
import io.planperfect.queue.WakeSignal;
import io.planperfect.queue.WorkAnnouncer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop of one stage on this node. It sleeps on the stage's wake-up signal (or the
 * poll interval), claims as many ready messages as it has free slots in one statement that also
 * begins their attempts, and runs each on the stage's executor. A finished run frees a slot and
 * wakes the loop.
 */
final class StageWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(StageWorker.class);
  private static final Duration ENDPOINT_RUNNER_WAIT = Duration.ofMillis(500);
  private static final Duration CLAIM_RUNNER_WAIT = Duration.ofMillis(5);

  private final String queueName;
  private final String stage;
  private final MessageQueue queue;
  private final StageClaims claims;
  private final StageExecutor executor;
  private final WakeSignal signal;
  private final WorkAnnouncer announcer;
  private final ExecutorService runners;
  private final Semaphore slots;
  private final Duration visibility;
  private final Duration pollInterval;
  private final Integer maxOverride;
  private final Map<Long, QueueMessage> inFlight = new ConcurrentHashMap<>();
  private volatile boolean claiming = true;
  // when the loop last began a pass (System.nanoTime), for the node's readiness
  private volatile long lastPassNanos = System.nanoTime();
  // the loop found every runner busy and sleeps until one is free
  private volatile boolean waitingForRunner;
  // the loop holds every free runner while its claim statement runs
  private volatile boolean loopHoldsRunners;
  // when the last probe's answer (the next message due, or the poll interval) is reached (System.nanoTime);
  // only the loop's thread reads and writes it
  private long probeAgainAt = System.nanoTime();

  StageWorker(String queueName, String stage, MessageQueue queue, StageClaims claims, StageExecutor executor, WakeSignal signal,
      WorkAnnouncer announcer, ExecutorService runners, int concurrency, Duration visibility, Duration pollInterval, Integer maxOverride) {
    this.queueName = queueName;
    this.stage = stage;
    this.queue = queue;
    this.claims = claims;
    this.executor = executor;
    this.signal = signal;
    this.announcer = announcer;
    this.runners = runners;
    this.slots = new Semaphore(concurrency);
    this.visibility = visibility;
    this.pollInterval = pollInterval;
    this.maxOverride = maxOverride;
  }

  @Override
  public void run() {
    while (claiming) {
      lastPassNanos = System.nanoTime();
      try {
        claimWhileSlotsFree();
        signal.await(untilNextVisible());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // why: the loop must outlive a database outage; it logs and tries again next tick.
        log.warn("claim loop of {}:{} failed, retrying: {}", queueName, stage, e.toString());
        sleepQuietly(pollInterval);
      }
    }
  }

  /**
   * Sleeps no longer than until the next delayed or expired message at the head becomes visible.
   * why the probe only once its answer is due: a loop woken by announcements many times a second
   * asked the database each time (an autocommit per pass, 0.19 per transition) for an answer that
   * only a delayed or expired message changes; a delayed retry wakes the loop by its own timer or
   * NOTIFY, and an expiry is found by the next probe, at most one poll interval later, as before
   * when nothing woke the loop.
   */
  private Duration untilNextVisible() {
    if (slots.availablePermits() == 0) {
      return pollInterval;
    }
    long now = System.nanoTime();
    if (now - probeAgainAt < 0) {
      return Duration.ofNanos(probeAgainAt - now);
    }
    Duration sleep = queue.nextVisibleIn(queueName, stage)
        .map(due -> due.compareTo(pollInterval) < 0 ? due.plusMillis(1) : pollInterval)
        .orElse(pollInterval);
    probeAgainAt = now + sleep.toNanos();
    return sleep;
  }

  private void claimWhileSlotsFree() {
    while (claiming) {
      lastPassNanos = System.nanoTime();
      // why take the permits before the claim: a completing transition on another thread may take a
      // runner at any moment (a chained claim); a claimed message must never wait for one.
      loopHoldsRunners = true;
      int reserved = slots.drainPermits();
      if (reserved == 0) {
        loopHoldsRunners = false;
        // why the second look: a run that ended before the flag was set did not signal the loop.
        waitingForRunner = true;
        if (slots.availablePermits() == 0) {
          return;
        }
        continue;
      }
      waitingForRunner = false;
      StageClaims.Claimed claimed;
      try {
        claimed = claim(reserved, false);
      } catch (RuntimeException e) {
        slots.release(reserved);
        throw e;
      } finally {
        loopHoldsRunners = false;
      }
      slots.release(reserved - claimed.attempts().size());
      claimed.attempts().forEach(this::start);
      if (claimed.size() < reserved) {
        return;
      }
    }
  }

  /**
   * A free runner of this stage for a completing transition to hand the job's next stage to, or
   * empty when every runner is busy or the node is stopping.
   */
  Optional<NextStageRunners.Runner> reserveRunner() {
    if (!claiming || !(slots.tryAcquire() || awaitRunnerFromClaim())) {
      return Optional.empty();
    }
    return Optional.of(new NextStageRunners.Runner() {
      @Override
      public Duration visibility() {
        return visibility;
      }

      @Override
      public Integer maxOverride() {
        return maxOverride;
      }

      @Override
      public void start(StageAttempt attempt) {
        StageWorker.this.start(attempt);
      }

      @Override
      public void release() {
        releaseRunner();
      }
    });
  }

  /**
   * Claims and starts one message for the stage's HTTP worker endpoint, when this node has a
   * free runner; empty when it has none or no message may be claimed.
   */
  Optional<QueueMessage> runOneViaEndpoint() {
    if (!acquireForEndpoint()) {
      return Optional.empty();
    }
    try {
      List<StageAttempt> claimed = claim(1, true).attempts();
      if (claimed.isEmpty()) {
        releaseRunner();
        return Optional.empty();
      }
      start(claimed.get(0));
      return Optional.of(claimed.get(0).message());
    } catch (RuntimeException e) {
      releaseRunner();
      throw e;
    }
  }

  /**
   * Waits a moment for a runner when the claim loop holds them all for its claim statement (it gives
   * back the ones its claim does not fill at once); false at once when runs hold them.
   */
  private boolean awaitRunnerFromClaim() {
    if (!loopHoldsRunners) {
      return false;
    }
    try {
      return slots.tryAcquire(CLAIM_RUNNER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A runner for an endpoint request. why the short wait: the claim loop holds every free runner
   * while its claim statement runs (a few milliseconds), and a request arriving then should not be
   * told that this node has none.
   */
  private boolean acquireForEndpoint() {
    try {
      return slots.tryAcquire(ENDPOINT_RUNNER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private StageClaims.Claimed claim(int qty, boolean viaEndpoint) {
    return claims.claim(queueName, stage, visibility, qty, maxOverride, viaEndpoint);
  }

  /** Runs a begun attempt on the stage's runners; the caller holds a slot for it. */
  private void start(StageAttempt attempt) {
    QueueMessage message = attempt.message();
    inFlight.put(message.msgId(), message);
    try {
      runners.execute(() -> run(attempt));
    } catch (RejectedExecutionException e) {
      // why: the node is stopping; the message stays in flight, so the drain releases it to others.
      log.info("node stopping, not running {}; its message is released at shutdown", attempt);
      releaseRunner();
    }
  }

  private void run(StageAttempt attempt) {
    QueueMessage message = attempt.message();
    boolean slotWanted = true;
    try {
      slotWanted = executor.execute(attempt);
    } catch (RuntimeException e) {
      log.error("stage run of {} ended unexpectedly; the message returns after its visibility timeout",
          message.msgId(), e);
    } finally {
      inFlight.remove(message.msgId());
      releaseRunner();
      // why: the run freed a stage slot; a loop on any node held back by the limit may claim now.
      // A completed run whose stage had nothing waiting wakes no other node (no empty claims).
      if (slotWanted) {
        announcer.announce(queueName, stage);
      }
    }
  }

  /**
   * Gives a runner back: after a run, or unused by a completing transition or a stopping node. The
   * loop is woken when it sleeps for want of one, whoever held it.
   */
  private void releaseRunner() {
    slots.release();
    if (waitingForRunner) {
      signal.signal();
    }
  }

  /** How long ago the loop last began a pass (it sleeps at most the poll interval between passes). */
  Duration sinceLastPass() {
    return Duration.ofNanos(System.nanoTime() - lastPassNanos);
  }

  String name() {
    return queueName + ":" + stage;
  }

  /** Stops claiming; running stages carry on. */
  void stopClaiming() {
    claiming = false;
    signal.signal();
  }

  /** Gives back every message still running here, so another node takes it at once. */
  int releaseInFlight() {
    int released = 0;
    for (QueueMessage message : inFlight.values()) {
      try {
        if (queue.release(message.msgId(), message.lease())) {
          released++;
        }
      } catch (RuntimeException e) {
        log.warn("could not release message {}: {}", message.msgId(), e.toString());
      }
    }
    return released;
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
