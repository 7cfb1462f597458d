package io.planperfect.bench;

/** pgbench's summary: transactions per second (without connection time) and average latency. */
record PgBenchResult(double tps, double latencyAverageMillis, long failedTransactions) {}
