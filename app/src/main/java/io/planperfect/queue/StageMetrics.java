package io.planperfect.queue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One stage's messages: ready now, in flight (leased and invisible), delayed (not yet visible,
 * no holder), and how long the oldest ready one has waited.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageMetrics(String queueName, String stage, long ready, long inFlight, long delayed, Integer oldestReadyAgeSec) {}
