package io.planperfect.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load: a scheduler thread releases one job every {@code 1 / rate} seconds with
 * {@code scheduleAtFixedRate}, and a small pool submits it, so a slow submit does not delay the
 * next arrival. Then waits until all jobs finished.
 */
final class PacedLoad {
  private final PipelineLoad load;

  PacedLoad(PipelineLoad load) {
    this.load = load;
  }

  /** About {@code seconds × rate} jobs at {@code rate} per second, submitted by {@code submitters} threads. */
  PacedRun run(double rate, int seconds, int submitters) {
    return run(rate, seconds, submitters, id -> { });
  }

  /** The same, telling {@code submitted} of each job on its submitter's thread once its submit returned. */
  PacedRun run(double rate, int seconds, int submitters, java.util.function.Consumer<UUID> submitted) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("the paced rate must be a positive number of jobs/s, got " + rate);
    }
    int jobs = Math.max(1, (int) Math.round(rate * seconds));
    long periodNanos = Math.max(1, Math.round(1e9 / rate));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    ExecutorService pool = Executors.newFixedThreadPool(submitters);
    try {
      List<Future<UUID>> submits = new ArrayList<>(jobs);
      AtomicLong maxLagNanos = new AtomicLong();
      CountDownLatch released = new CountDownLatch(1);
      long started = System.nanoTime();
      scheduler.scheduleAtFixedRate(() -> {
        int n = submits.size();
        if (n == jobs) {
          released.countDown();
          return;
        }
        long due = started + n * periodNanos;
        submits.add(pool.submit(() -> {
          maxLagNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
          UUID id = load.submit(n);
          submitted.accept(id);
          return id;
        }));
      }, 0, periodNanos, TimeUnit.NANOSECONDS);
      await(released);
      List<UUID> ids = new ArrayList<>(jobs);
      for (Future<UUID> submit : submits) {
        ids.add(result(submit));
      }
      double submitSeconds = (System.nanoTime() - started) / 1e9;
      load.awaitAll(ids);
      return new PacedRun(ids, rate, submitSeconds, (System.nanoTime() - started) / 1e9, maxLagNanos.get() / 1e6);
    } finally {
      scheduler.shutdownNow();
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pacing jobs", e);
    }
  }

  private static UUID result(Future<UUID> submit) {
    try {
      return submit.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a paced submit failed", e.getCause());
    }
  }

  /**
   * The paced run's jobs, the target rate, seconds until the last submit returned and until the
   * last job finished, and the largest delay of a submit's start behind its scheduled time.
   */
  record PacedRun(List<UUID> ids, double rate, double submitSeconds, double totalSeconds, double maxStartLagMillis) {}
}
