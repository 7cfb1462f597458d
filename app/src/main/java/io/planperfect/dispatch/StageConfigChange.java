package io.planperfect.dispatch;

/**
 * A partial update of a stage's config; null fields stay as they are. The nullable columns
 * (endpoint, retry settings) change only when their {@code set…} flag is true, null clearing them.
 */
public record StageConfigChange(
    Integer maxConcurrency, Integer triggerBatchSize, Boolean enabled, boolean setWorkerEndpoint, String workerEndpoint,
    boolean setMaxAttempts, Integer maxAttempts, boolean setRetryDelaySeconds, Integer retryDelaySeconds,
    boolean setLlmProvider, String llmProvider, boolean setLlmModel, String llmModel, boolean setQaPolicy,
    String qaPolicy) {

  public StageConfigChange(Integer maxConcurrency, Integer triggerBatchSize, Boolean enabled, boolean setWorkerEndpoint,
      String workerEndpoint, boolean setMaxAttempts, Integer maxAttempts, boolean setRetryDelaySeconds,
      Integer retryDelaySeconds) {
    this(maxConcurrency, triggerBatchSize, enabled, setWorkerEndpoint, workerEndpoint, setMaxAttempts, maxAttempts,
        setRetryDelaySeconds, retryDelaySeconds, false, null, false, null, false, null);
  }
}
