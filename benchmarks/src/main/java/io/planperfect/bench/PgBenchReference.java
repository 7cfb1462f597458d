package io.planperfect.bench;

import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/** The pgbench -N reference run (4 clients) of a harness, reported through {@code say}; empty without pgbench. */
final class PgBenchReference {
  static final int CLIENTS = 4;

  private PgBenchReference() {}

  static Optional<PgBenchResult> run(BenchServer server, Jdbi jdbi, int seconds, Consumer<String> say) {
    Optional<PgBench> pgbench = PgBench.find(server.address());
    if (pgbench.isEmpty()) {
      say.accept("NOTE: pgbench is not on PATH (Debian: apt-get install postgresql-client); ratios will be n/a");
      return Optional.empty();
    }
    say.accept("pgbench -i -s 10, then pgbench -N -c " + CLIENTS + " -j 2 -T " + seconds + " -M prepared ...");
    PgBenchResult result = pgbench.get().run(jdbi, CLIENTS, seconds);
    say.accept(String.format("pgbench: %,.0f TPS, latency average %.3f ms", result.tps(), result.latencyAverageMillis()));
    return Optional.of(result);
  }
}
