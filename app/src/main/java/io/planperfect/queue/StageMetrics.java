package io.planperfect.queue;

/**
 * One stage's messages: ready now, in flight (leased and invisible), delayed (not yet visible,
 * no holder), and how long the oldest ready one has waited.
 */
public record StageMetrics(String queueName, String stage, long ready, long inFlight, long delayed, Integer oldestReadyAgeSec) {}
