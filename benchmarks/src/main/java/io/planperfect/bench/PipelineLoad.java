package io.planperfect.bench;

import io.planperfect.engine.Intake;
import io.planperfect.engine.NewJob;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;

/**
 * Submits benchmark jobs through the node's own {@link Intake} and waits, by reading the jobs
 * table, until they completed. Returns the ids so the figures can be read from job_events.
 */
final class PipelineLoad {
  // why: light-load waits poll rarely enough not to compete for the 2 cores with the node itself.
  private static final Duration LIGHT_POLL = Duration.ofMillis(5);
  private static final Duration HEAVY_POLL = Duration.ofMillis(200);
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HEAVY_TIMEOUT = Duration.ofMinutes(15);

  private final Intake intake;
  private final PipelineDefinition pipeline;
  private final Jdbi jdbi;

  PipelineLoad(Intake intake, PipelineDefinition pipeline, Jdbi jdbi) {
    this.intake = intake;
    this.pipeline = pipeline;
    this.jdbi = jdbi;
  }

  /** One job at a time: submit, wait until it completed, submit the next. */
  List<UUID> light(int jobs) {
    List<UUID> ids = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      UUID id = submit(i);
      ids.add(id);
      awaitCompleted(List.of(id), LIGHT_POLL, JOB_TIMEOUT);
    }
    return ids;
  }

  /** All jobs as fast as {@code submitters} threads can submit them, then waits for all to complete. */
  HeavyRun heavy(int jobs, int submitters) {
    ExecutorService pool = Executors.newFixedThreadPool(submitters);
    try {
      long started = System.nanoTime();
      List<Future<List<UUID>>> parts = new ArrayList<>();
      for (int t = 0; t < submitters; t++) {
        int first = t * jobs / submitters;
        int last = (t + 1) * jobs / submitters;
        parts.add(pool.submit(() -> submitRange(first, last)));
      }
      List<UUID> ids = new ArrayList<>(jobs);
      for (Future<List<UUID>> part : parts) {
        ids.addAll(await(part));
      }
      double submitSeconds = (System.nanoTime() - started) / 1e9;
      awaitCompleted(ids, HEAVY_POLL, HEAVY_TIMEOUT);
      return new HeavyRun(ids, submitSeconds, (System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits, polling every 200 ms, until all {@code ids} finished (15 minutes at most). */
  void awaitAll(List<UUID> ids) {
    awaitCompleted(ids, HEAVY_POLL, HEAVY_TIMEOUT);
  }

  private List<UUID> submitRange(int first, int last) {
    List<UUID> ids = new ArrayList<>(last - first);
    for (int i = first; i < last; i++) {
      ids.add(submit(i));
    }
    return ids;
  }

  UUID submit(int n) {
    return intake.submit(new NewJob(pipeline, BenchPipeline.JOB_TYPE, null,
        Json.object().put("title", "Benchmark article " + n), pipeline.firstStage(), 0));
  }

  private void awaitCompleted(List<UUID> ids, Duration poll, Duration timeout) {
    UUID[] idArray = ids.toArray(UUID[]::new);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long done = jdbi.withHandle(h -> h.createQuery(
              "select count(*) from jobs where id = any(:ids) and status in ('completed', 'failed', 'cancelled')")
          .bind("ids", idArray).mapTo(Long.class).one());
      if (done == ids.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(done + " of " + ids.size() + " jobs finished within " + timeout.toSeconds() + " s");
      }
      sleep(poll);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for jobs", e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a submitter failed", e.getCause());
    }
  }

  /** The heavy run's jobs, how long submitting them took, and how long until the last one finished. */
  record HeavyRun(List<UUID> ids, double submitSeconds, double totalSeconds) {}
}
