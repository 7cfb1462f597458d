package io.planperfect.stages;

import java.time.Duration;

/**
 * Thrown inside a stage when its provider cannot be called now (its rate limit or daily budget, a
 * 429 or a 5xx): {@link ModelStage} turns it into {@code RetryLater}, so the stage waits without
 * spending an attempt, visible as a waiting event.
 */
public final class ModelWait extends RuntimeException {
  private final Duration delay;

  public ModelWait(Duration delay, String reason) {
    super(reason);
    this.delay = delay;
  }

  public Duration delay() {
    return delay;
  }
}
