package io.planperfect.engine;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed stage runs again: up to {@code maxAttempts} attempts in all, the n-th retry
 * after {@code baseDelay * 2^(n-1)}, capped, then spread by ±20% jitter so that jobs failing
 * together do not retry together.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, DoubleSupplier random) {
  static final double JITTER = 0.2;

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static RetryPolicy of(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, Math::random);
  }

  /** True when the attempt that just failed (1-based) may be followed by another. */
  public boolean allowsRetryAfter(int failedAttempt) {
    return failedAttempt < maxAttempts;
  }

  /** The delay before the attempt that follows the given failed attempt (1-based). */
  public Duration delayAfter(int failedAttempt) {
    double exponential = baseDelay.toMillis() * Math.pow(2, Math.max(0, failedAttempt - 1));
    double capped = Math.min(exponential, maxDelay.toMillis());
    double jittered = capped * (1 - JITTER + 2 * JITTER * random.getAsDouble());
    return Duration.ofMillis(Math.round(Math.min(jittered, maxDelay.toMillis())));
  }
}
