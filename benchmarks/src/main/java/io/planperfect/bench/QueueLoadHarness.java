package io.planperfect.bench;

import io.planperfect.db.Database;
import java.time.Duration;
import java.util.Optional;

/**
 * Measures the queue against pgbench on the same server in the same run: pgbench -N first, then
 * at each depth every {@link Scenario} with N clients, printed as one table of ratios to pgbench.
 * Run it with {@code ./bench --help}.
 */
public final class QueueLoadHarness {
  // why: the first seconds of a scenario measure the JIT and a cold pool, not the queue.
  private static final Duration WARMUP = Duration.ofSeconds(2);

  private QueueLoadHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, HarnessOptions::parse, QueueLoadHarness::run);
  }

  private static void run(HarnessOptions options) {
    say(options.database().isPresent() ? "using " + options.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), options.clients() + 2)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      MachineInfo.collect(database.jdbi()).lines().forEach(QueueLoadHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      Optional<PgBenchResult> pgbench = runPgBench(server, database, options);
      ResultTable table = new ResultTable(pgbench);
      QueueFixture fixture = new QueueFixture(database.jdbi());
      ScenarioRunner runner = new ScenarioRunner(new QueueOperations(database.jdbi()), fixture,
          options.clients(), WARMUP, Duration.ofSeconds(options.seconds()));
      for (int depth : options.depths()) {
        measureAtDepth(depth, fixture, runner, table);
      }
      say("");
      say("clients=" + options.clients() + ", " + options.seconds() + " s per scenario (after " + WARMUP.toSeconds()
          + " s warm-up), one connection per client");
      table.lines().forEach(QueueLoadHarness::say);
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static Optional<PgBenchResult> runPgBench(BenchServer server, Database database, HarnessOptions options) {
    Optional<PgBench> pgbench = PgBench.find(server.address());
    if (pgbench.isEmpty()) {
      say("NOTE: pgbench is not on PATH (Debian: apt-get install postgresql-client); ratios will be n/a");
      return Optional.empty();
    }
    say("pgbench -i -s 10, then pgbench -N -c " + options.clients() + " -j 2 -T " + options.seconds() + " -M prepared ...");
    PgBenchResult result = pgbench.get().run(database.jdbi(), options.clients(), options.seconds());
    say(String.format("pgbench: %,.0f TPS, latency average %.3f ms", result.tps(), result.latencyAverageMillis()));
    return Optional.of(result);
  }

  private static void measureAtDepth(int depth, QueueFixture fixture, ScenarioRunner runner, ResultTable table) {
    say("");
    say(String.format("depth %,d: filling queue content/research...", depth));
    fixture.empty();
    fixture.fill(depth);
    fixture.vacuumAnalyze();
    say("claim subquery plan at depth " + depth + ":");
    fixture.explainClaim().forEach(line -> say("    " + line));
    for (Scenario scenario : Scenario.values()) {
      if (fixture.restore(depth)) {
        say(String.format("  (depth restored to %,d)", depth));
      }
      fixture.vacuumAnalyze();
      ScenarioResult result = runner.run(scenario, depth);
      say(String.format("  %-22s %,9.0f ops/s %,9.0f msg/s  p50 %.2f ms  p99 %.2f ms  (load %s)",
          scenario.label(), result.operationsPerSecond(), result.messagesPerSecond(), result.p50Millis(), result.p99Millis(),
          MachineInfo.loadAverage()));
      table.add(result);
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
