package io.planperfect.queue;

import java.time.Duration;

/**
 * Options of a send, as seed 001's enqueueJob takes them. A bare number passed to the seed's
 * API means a delay, which {@link #delay(Duration)} expresses here.
 */
public record SendOptions(int priority, Duration delay) {
  public static final SendOptions NOW = new SendOptions(0, Duration.ZERO);

  public SendOptions {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
  }

  public static SendOptions delay(Duration delay) {
    return new SendOptions(0, delay);
  }

  public static SendOptions priority(int priority) {
    return new SendOptions(priority, Duration.ZERO);
  }
}
