package io.planperfect.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Stage handlers that note, per job and stage, the {@code System.nanoTime()} at which they
 * started and at which they returned; from those it computes the handler handoff: the end of
 * one stage's handler to the start of the next stage's for the same job, everything the engine
 * does between two stages included. A stage that runs twice for a job keeps its last times.
 */
final class HandlerClock {
  // why: nanoTime may be any long, 0 included, so "not seen yet" needs a value it cannot take in practice.
  private static final long UNSET = Long.MIN_VALUE;

  private final List<String> stages;
  // why: slots of one job are written by different runner threads and read by the harness thread;
  // AtomicLongArray makes those writes visible without a lock.
  private final ConcurrentHashMap<UUID, AtomicLongArray> times = new ConcurrentHashMap<>();

  HandlerClock(List<String> stages) {
    this.stages = List.copyOf(stages);
  }

  /** The handler of {@code stage}: records its start and end and returns {@code {"ok": true}} at once. */
  StageHandler handler(String stage) {
    int start = 2 * stages.indexOf(stage);
    if (start < 0) {
      throw new IllegalArgumentException("not a stage of this clock: " + stage);
    }
    return context -> {
      AtomicLongArray job = times.computeIfAbsent(context.jobId(), id -> unset());
      job.set(start, System.nanoTime());
      StageOutcome result = StageOutcome.completed(Json.object().put("ok", true));
      job.set(start + 1, System.nanoTime());
      return result;
    };
  }

  /** Handler handoffs of {@code jobs} (stages - 1 per job), skipping pairs where either time is missing. */
  Handoffs handoffs(List<UUID> jobs) {
    long[] nanos = new long[jobs.size() * (stages.size() - 1)];
    int n = 0;
    for (UUID id : jobs) {
      AtomicLongArray job = times.get(id);
      if (job == null) {
        continue;
      }
      for (int stage = 0; stage + 1 < stages.size(); stage++) {
        long end = job.get(2 * stage + 1);
        long nextStart = job.get(2 * stage + 2);
        if (end != UNSET && nextStart != UNSET) {
          nanos[n++] = nextStart - end;
        }
      }
    }
    long[] sample = Arrays.copyOf(nanos, n);
    Arrays.sort(sample);
    return new Handoffs(new LatencySummary(n, percentileMillis(sample, 0.5), percentileMillis(sample, 0.99),
        n == 0 ? 0 : millis(sample[n - 1])), n == 0 ? 0 : millis(sample[0]));
  }

  private AtomicLongArray unset() {
    long[] slots = new long[2 * stages.size()];
    Arrays.fill(slots, UNSET);
    return new AtomicLongArray(slots);
  }

  /** As percentile_disc: the smallest value with at least {@code p} of the sorted sample at or below it. */
  private static double percentileMillis(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return millis(sorted[Math.max(0, index)]);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The handler handoffs' distribution, and the smallest one (negative would mean a broken measurement). */
  record Handoffs(LatencySummary latency, double minMillis) {}
}
