package io.planperfect.engine;

/** The number of the attempt just begun and the stage's limit. */
public record AttemptCount(int attempt, int maxAttempts) {

  /** True when earlier runs already used every attempt without finishing (their worker died). */
  public boolean exhausted() {
    return attempt > maxAttempts;
  }
}
