package io.planperfect.bench;

/** A latency distribution read from job_events: how many samples, p50, p99 and max in milliseconds. */
record LatencySummary(long count, double p50Millis, double p99Millis, double maxMillis) {}
