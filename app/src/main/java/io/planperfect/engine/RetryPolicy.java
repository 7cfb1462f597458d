package io.planperfect.engine;

import io.planperfect.pipeline.RetrySettings;
import io.planperfect.queue.Backoff;
import java.time.Duration;

/**
 * When a failed stage runs again: up to {@code maxAttempts} attempts in all, the n-th retry after
 * the queue's exponential {@link Backoff} (base × 2^(n-1), capped, ±20% jitter).
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static RetryPolicy of(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    return new RetryPolicy(maxAttempts, Backoff.of(baseDelay, maxDelay));
  }

  public Duration baseDelay() {
    return backoff.base();
  }

  /** The node's attempt limit and base delay (whole seconds): the last level of a stage's retry settings. */
  public RetrySettings settings() {
    return new RetrySettings(maxAttempts, (int) backoff.base().toSeconds());
  }

  /** True when the attempt that just failed (1-based) may be followed by another. */
  public boolean allowsRetryAfter(int failedAttempt) {
    return failedAttempt < maxAttempts;
  }

  /** The delay before the attempt that follows the given failed attempt (1-based). */
  public Duration delayAfter(int failedAttempt) {
    return backoff.delayFor(failedAttempt - 1);
  }

  /** The same, from a stage's own base delay (its job_stages row's retry_delay_seconds), with this policy's cap and jitter. */
  public Duration delayAfter(int failedAttempt, Duration base) {
    return new Backoff(base, backoff.cap(), backoff.jitter(), backoff.random()).delayFor(failedAttempt - 1);
  }
}
