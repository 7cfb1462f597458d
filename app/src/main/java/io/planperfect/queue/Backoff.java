package io.planperfect.queue;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff as seed 001's delayedRequeueJob computes it: {@code base * 2^attempt}
 * (attempt counted from 0), capped, then spread by ±{@code jitter} (a fraction) so that
 * messages failing together do not come back together.
 */
public record Backoff(Duration base, Duration cap, double jitter, DoubleSupplier random) {
  public static final double DEFAULT_JITTER = 0.2;

  public Backoff {
    if (base.isNegative() || cap.isNegative()) {
      throw new IllegalArgumentException("backoff base and cap must not be negative");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1)");
    }
  }

  public static Backoff of(Duration base, Duration cap) {
    return new Backoff(base, cap, DEFAULT_JITTER, Math::random);
  }

  /** The delay for the given attempt, counted from 0 (the first retry waits about {@code base}). */
  public Duration delayFor(int attempt) {
    double exponential = base.toMillis() * Math.pow(2, Math.max(0, Math.min(attempt, 62)));
    double capped = Math.min(exponential, cap.toMillis());
    double spread = capped * (1 - jitter + 2 * jitter * random.getAsDouble());
    return Duration.ofMillis(Math.round(Math.min(spread, cap.toMillis())));
  }
}
