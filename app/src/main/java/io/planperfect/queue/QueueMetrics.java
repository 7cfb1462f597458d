package io.planperfect.queue;

/** pgmq's queue_metrics: messages waiting, age of the newest and oldest, and messages ever sent. */
public record QueueMetrics(
    String queueName, long queueLength, Integer newestMsgAgeSec, Integer oldestMsgAgeSec, long totalMessages) {}
