package io.planperfect.http;

/**
 * A token bucket refilled at a rate given on each call (the rate may change as nodes come and go),
 * holding at most one second of it. Time is the caller's {@link System#nanoTime()}.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private double tokens = -1;
  private long refilledAt;

  /**
   * Takes one token at {@code perSecond}: 0 when taken, else the nanoseconds until one is there.
   */
  synchronized long take(double perSecond, long now) {
    double capacity = Math.max(1, perSecond);
    if (tokens < 0) {
      tokens = capacity;
    } else {
      tokens = Math.min(capacity, tokens + (now - refilledAt) * perSecond / NANOS_PER_SECOND);
    }
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / perSecond);
  }
}
