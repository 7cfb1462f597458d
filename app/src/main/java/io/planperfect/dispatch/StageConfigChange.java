package io.planperfect.dispatch;

/** A partial update of a stage's config; null fields stay as they are. */
public record StageConfigChange(
    Integer maxConcurrency, Integer triggerBatchSize, Boolean enabled, boolean setWorkerEndpoint, String workerEndpoint) {}
