package io.planperfect.queue;

import java.time.Duration;

/**
 * Options of a send, as seed 001's enqueueJob takes them: priority, delay (a bare number given to
 * the seed's API means a delay, which {@link #delay(Duration)} expresses here), and per-message
 * visibility, max attempts and retry delay (null when the reader's or the pipeline's default applies).
 */
public record SendOptions(int priority, Duration delay, Duration visibility, Integer maxAttempts, Duration retryDelay) {
  public static final SendOptions NOW = new SendOptions(0, Duration.ZERO, null, null, null);

  public SendOptions {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    if (visibility != null && visibility.isNegative()) {
      throw new IllegalArgumentException("visibility must not be negative");
    }
    if (maxAttempts != null && maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static SendOptions delay(Duration delay) {
    return new SendOptions(0, delay, null, null, null);
  }

  public static SendOptions priority(int priority) {
    return new SendOptions(priority, Duration.ZERO, null, null, null);
  }

  public SendOptions withDelay(Duration newDelay) {
    return new SendOptions(priority, newDelay, visibility, maxAttempts, retryDelay);
  }
}
