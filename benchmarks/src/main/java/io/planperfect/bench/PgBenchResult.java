package io.planperfect.bench;

import java.util.Optional;

/** pgbench's summary: transactions per second (without connection time) and average latency. */
record PgBenchResult(double tps, double latencyAverageMillis, long failedTransactions) {

  /** The line both result tables open with. */
  static String summary(Optional<PgBenchResult> result) {
    return result.map(p -> String.format("pgbench -N: %,.0f TPS, latency average %.3f ms, %d failed",
            p.tps(), p.latencyAverageMillis(), p.failedTransactions()))
        .orElse("pgbench: not run, ratios are n/a");
  }
}
