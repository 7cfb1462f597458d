package io.planperfect.queue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** pgmq's queue_metrics: messages waiting, age of the newest and oldest, and messages ever sent. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueMetrics(
    String queueName, long queueLength, Integer newestMsgAgeSec, Integer oldestMsgAgeSec, long totalMessages) {}
