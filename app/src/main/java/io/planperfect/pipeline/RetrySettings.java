package io.planperfect.pipeline;

/**
 * The retry settings of one level — a pipeline or stage definition, a stage config row, a job —
 * each either set or null ("ask the next level"). A stage's settings are resolved, most specific
 * first: the job's intake values, the stage's config row, the stage definition, the pipeline
 * definition, the node's {@code CONTENT_STAGE_*} environment. The backoff's cap and jitter are
 * always the node's.
 */
public record RetrySettings(Integer maxAttempts, Integer retryDelaySeconds) {
  /** Upper bounds for values set through the API (intake fields, stage config); the table's checks (V003) hold the same. */
  public static final int MAX_ATTEMPTS_LIMIT = 25;
  public static final int MAX_RETRY_DELAY_SECONDS = 86_400;

  public static final RetrySettings NONE = new RetrySettings(null, null);

  public RetrySettings {
    if (maxAttempts != null && maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (retryDelaySeconds != null && retryDelaySeconds < 0) {
      throw new IllegalArgumentException("retryDelaySeconds must not be negative, got " + retryDelaySeconds);
    }
  }

  /** These settings, with each unset one taken from the fallback. */
  public RetrySettings orElse(RetrySettings fallback) {
    return new RetrySettings(
        maxAttempts != null ? maxAttempts : fallback.maxAttempts(),
        retryDelaySeconds != null ? retryDelaySeconds : fallback.retryDelaySeconds());
  }
}
