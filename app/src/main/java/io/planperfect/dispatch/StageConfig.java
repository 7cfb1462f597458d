package io.planperfect.dispatch;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

/**
 * One row of content_stage_config (seed 000), with the stage's own retry settings: null defers
 * to the stage and pipeline definitions and the node's environment; and its own model provider and
 * model (null: the node's {@code PLANPERFECT_LLM_PROVIDER} and {@code PLANPERFECT_LLM_MODEL}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageConfig(
    String stage,
    String queue,
    String workerEndpoint,
    int maxConcurrency,
    int triggerBatchSize,
    boolean enabled,
    OffsetDateTime lastUpdatedAt,
    Integer maxAttempts,
    Integer retryDelaySeconds,
    String llmProvider,
    String llmModel,
    String qaPolicy) {}
