package io.planperfect.engine;

import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueVisibility;
import io.planperfect.queue.QueueMessage;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running stage's message leased: every third of the visibility timeout it extends the
 * visibility, so a slow stage is not delivered twice. If the lease is lost (the job was
 * cancelled, or another node took the message) the run is told to stop; if the run outlives the
 * stage timeout it is interrupted and counted as a failed attempt.
 *
 * <p>With heartbeats switched off ({@code PLANPERFECT_HEARTBEATS=false}, for fault tests only) a
 * run longer than the visibility timeout loses its message to the next claim and becomes a
 * zombie: its result is then rejected by the lease fence. The stage timeout still applies.
 */
public final class Heartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private static final long MIN_BEAT_MILLIS = 100;

  private final MessageQueue queue;
  private final QueueVisibility visibility;
  private final Duration stageTimeout;
  private final boolean enabled;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
    Thread thread = new Thread(r, "pp-heartbeat");
    thread.setDaemon(true);
    return thread;
  });

  public Heartbeats(MessageQueue queue, QueueVisibility visibility, Duration stageTimeout, boolean enabled) {
    this.queue = queue;
    this.visibility = visibility;
    this.stageTimeout = stageTimeout;
    this.enabled = enabled;
    if (!enabled) {
      log.warn("heartbeats are off: a stage run longer than its queue's visibility timeout (default {}) will be delivered again",
          visibility.fallback());
    }
  }

  /** Starts watching the run of {@code message} on the calling thread. */
  public Watch watch(QueueMessage message) {
    return new Watch(message, Thread.currentThread());
  }

  /** The heartbeat of one run; close it when the run ends. */
  public final class Watch implements AutoCloseable {
    private final QueueMessage message;
    private final Thread runner;
    private final ScheduledFuture<?> beats;
    private final ScheduledFuture<?> deadline;
    private volatile boolean leaseLost;
    private volatile boolean timedOut;

    private Watch(QueueMessage message, Thread runner) {
      this.message = message;
      this.runner = runner;
      // why no 1 s floor: with one, a lease under 3 s could lapse before its first beat, and a stage
      // about as long as the lease was taken over again and again (SweeperRaceTest, lease 1 s).
      long every = Math.max(MIN_BEAT_MILLIS, visibility.forQueue(message.queue()).toMillis() / 3);
      this.beats = enabled ? timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS) : null;
      this.deadline = timer.schedule(this::timeOut, stageTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
      try {
        if (!queue.extendVisibility(message.msgId(), message.lease(), visibility.forQueue(message.queue()))) {
          leaseLost = true;
          log.info("lease of message {} (job {} stage {}) lost: stopping the run", message.msgId(), message.jobId(), message.stage());
          runner.interrupt();
          stopBeats();
        }
      } catch (RuntimeException e) {
        log.warn("heartbeat of message {} failed, will retry: {}", message.msgId(), e.toString());
      }
    }

    private void stopBeats() {
      if (beats != null) {
        beats.cancel(false);
      }
    }

    private void timeOut() {
      timedOut = true;
      runner.interrupt();
    }

    /** True when the message is no longer this run's: its result must not be applied. */
    public boolean leaseLost() {
      return leaseLost;
    }

    /** The failure to record when the run was stopped for outliving the stage timeout, else null. */
    public StageTimeoutException timeout() {
      return timedOut ? new StageTimeoutException(message.stage(), stageTimeout) : null;
    }

    @Override
    public void close() {
      stopBeats();
      deadline.cancel(false);
      // why: an interrupt aimed at this run must not leak into the next task of the pooled thread.
      if (runner == Thread.currentThread()) {
        Thread.interrupted();
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
