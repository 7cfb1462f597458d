package io.planperfect.bench;

import io.planperfect.engine.StageAttempt;
import io.planperfect.engine.StageHooks;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each stage's completing transaction committed, noted by the node's {@link StageHooks} at
 * {@code RESULT_COMMITTED} (the instant after the commit returns): the start of the SSE latency.
 */
final class CommitClock implements StageHooks {
  private final Map<String, Long> committed = new ConcurrentHashMap<>();

  @Override
  public void reached(Point point, StageAttempt attempt) {
    if (point == Point.RESULT_COMMITTED) {
      committed.put(key(attempt.jobId(), attempt.stage()), System.nanoTime());
    }
  }

  /** why false: a hook at the uncommitted point would have every transition commit from the JVM, not as in production. */
  @Override
  public boolean watchesUncommitted() {
    return false;
  }

  /** The nanoTime of the commit that completed this stage of this job, or null when none was seen. */
  Long committedAt(String jobId, String stage) {
    return committed.get(jobId + "/" + stage);
  }

  void clear() {
    committed.clear();
  }

  private static String key(UUID jobId, String stage) {
    return jobId + "/" + stage;
  }
}
