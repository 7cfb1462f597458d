package io.planperfect.engine;

/** The number of the attempt just begun, the stage's limit, and its base retry delay (whole seconds). */
public record AttemptCount(int attempt, int maxAttempts, int retryDelaySeconds) {

  /** True when earlier runs already used every attempt without finishing (their worker died). */
  public boolean exhausted() {
    return attempt > maxAttempts;
  }
}
