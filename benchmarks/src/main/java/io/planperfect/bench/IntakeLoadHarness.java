package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.pipeline.PipelineRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Issue 20 item 5 / issue 19 item 10: HTTP intake under load while the stages run. pgbench -N on
 * the server first; then a node working the six instant stages of {@link BenchPipeline}, and
 * {@link IntakeLoad} posting {@code /functions/v1/content-intake} with 16 and 64 connections. Each
 * run reports requests/s and latency beside the jobs and stage completions the node finished in
 * the same seconds (intake and workers must not starve each other). Run it with {@code ./bench intake}.
 */
public final class IntakeLoadHarness {
  private static final int PGBENCH_CLIENTS = 4;
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);

  private IntakeLoadHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, IntakeOptions::parse, IntakeLoadHarness::run);
  }

  private static void run(IntakeOptions options) {
    say(options.database().isPresent() ? "using " + options.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      MachineInfo.collect(database.jdbi()).lines().forEach(IntakeLoadHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      Optional<PgBenchResult> pgbench = pgbench(server, database, options.pgbenchSeconds());
      BenchPipeline.raiseLimits(database.jdbi());
      String key = UUID.randomUUID().toString();
      Settings settings = nodeSettings(server.address(), options.stageConcurrency(), key);
      List<String> rows = new ArrayList<>();
      try (PlanPerfectNode node = PlanPerfectNode.start(settings,
          new PipelineRegistry(List.of(BenchPipeline.definition(new HandlerClock(BenchPipeline.STAGES)))),
          NodeOptions.serve(Map.of()))) {
        IntakeLoad load = new IntakeLoad(node.port(), key);
        Jdbi jdbi = database.jdbi();
        say(String.format("warm-up: %d connections for %d s (not recorded)...", options.connections().get(0),
            options.warmupSeconds()));
        load.run(options.connections().get(0), Duration.ofSeconds(options.warmupSeconds()));
        awaitDrained(jdbi);
        for (int connections : options.connections()) {
          say(String.format("%d connections for %d s...", connections, options.seconds()));
          Progress before = Progress.read(jdbi);
          IntakeLoad.Run run = load.run(connections, Duration.ofSeconds(options.seconds()));
          Progress after = Progress.read(jdbi);
          rows.add(row(run, before, after, pgbench));
          say("  " + rows.get(rows.size() - 1) + "; load average " + MachineInfo.loadAverage());
          say("  " + IntakeTransactions.since(jdbi, before.lastEvent()).line());
          awaitDrained(jdbi);
          say("  " + HeapReport.line());
        }
      }
      say("");
      say("node: " + settings.describe() + "; six instant stages, max_concurrency " + BenchPipeline.MAX_CONCURRENCY);
      say(PgBenchResult.summary(pgbench));
      say(header());
      rows.forEach(IntakeLoadHarness::say);
      say("target (issue 20 item 5): >= 3,000 req/s with p99 < 20 ms at 16 and 64 connections, the queue draining meanwhile");
      say("harness JVM (node, clients and histograms together): " + HeapReport.line());
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  /** What the node had finished at one moment: jobs completed, stage completions, messages waiting. */
  record Progress(long nanos, long jobsCompleted, long stagesCompleted, long waiting, long lastEvent) {
    static Progress read(Jdbi jdbi) {
      return jdbi.withHandle(h -> h.createQuery("""
              select (select count(*) from jobs where status = 'completed') as jobs,
                     (select count(*) from job_stages where status = 'completed') as stages,
                     (select count(*) from queue_messages where queue_name = :queue) as waiting,
                     (select coalesce(max(seq), 0) from job_events) as last_event""")
          .bind("queue", BenchPipeline.QUEUE)
          .map((rs, ctx) -> new Progress(System.nanoTime(), rs.getLong("jobs"), rs.getLong("stages"), rs.getLong("waiting"),
              rs.getLong("last_event")))
          .one());
    }
  }

  /**
   * How many transactions stored the run's intakes: the "queued by intake" events written after
   * {@code lastEvent}, and the distinct transactions (xmin) that wrote them. Those rows are never
   * updated, so their xmin is the intake transaction's. Jobs per transaction is the group commit's size.
   */
  record IntakeTransactions(long intakes, long transactions) {
    static IntakeTransactions since(Jdbi jdbi, long lastEvent) {
      return jdbi.withHandle(h -> h.createQuery("""
              select count(*) as intakes, count(distinct xmin::text) as transactions from job_events
               where seq > :after and event_type = 'queued' and message = 'Job queued by intake'""")
          .bind("after", lastEvent)
          .map((rs, ctx) -> new IntakeTransactions(rs.getLong("intakes"), rs.getLong("transactions")))
          .one());
    }

    String line() {
      return String.format("intake transactions: %,d for %,d intakes (%.1f jobs a transaction)", transactions, intakes,
          transactions == 0 ? 0.0 : (double) intakes / transactions);
    }
  }

  static String header() {
    return String.format("%-11s %10s %8s %8s %8s %7s %11s %13s %10s %9s", "connections", "req/s", "p50 ms", "p99 ms",
        "max ms", "errors", "jobs done/s", "stages done/s", "backlog +", "x pgbench");
  }

  static String row(IntakeLoad.Run run, Progress before, Progress after, Optional<PgBenchResult> pgbench) {
    double seconds = (after.nanos() - before.nanos()) / 1e9;
    String ratio = pgbench.map(p -> String.format("%.2f", run.requestsPerSecond() / p.tps())).orElse("n/a");
    return String.format("%-11d %,10.0f %8.2f %8.2f %8.1f %7d %,11.0f %,13.0f %,10d %9s", run.connections(),
        run.requestsPerSecond(), run.latency().percentileMillis(50), run.latency().percentileMillis(99),
        run.latency().maxMillis(), run.failed(), (after.jobsCompleted() - before.jobsCompleted()) / seconds,
        (after.stagesCompleted() - before.stagesCompleted()) / seconds, after.waiting() - before.waiting(), ratio);
  }

  private static void awaitDrained(Jdbi jdbi) {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    long waiting;
    while ((waiting = Progress.read(jdbi).waiting()) > 0 && System.nanoTime() < deadline) {
      sleep(250);
    }
    if (waiting > 0) {
      say(String.format("  NOTE: %,d messages still waiting after %d s; the next run starts over a backlog", waiting,
          DRAIN_LIMIT.toSeconds()));
    }
  }

  static Settings nodeSettings(DatabaseAddress address, int stageConcurrency, String anonKey) {
    return Settings.fromEnvironment(Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_PORT", "0",
        "PLANPERFECT_STAGE_CONCURRENCY", Integer.toString(stageConcurrency),
        // why: with both keys given the node writes no key file, so it needs no data dir.
        "PLANPERFECT_SERVICE_KEY", UUID.randomUUID().toString(),
        "PLANPERFECT_ANON_KEY", anonKey));
  }

  static Optional<PgBenchResult> pgbench(BenchServer server, Database database, int seconds) {
    Optional<PgBench> pgbench = PgBench.find(server.address());
    if (pgbench.isEmpty()) {
      say("NOTE: pgbench is not on PATH (Debian: apt-get install postgresql-client); ratios will be n/a");
      return Optional.empty();
    }
    say("pgbench -i -s 10, then pgbench -N -c " + PGBENCH_CLIENTS + " -j 2 -T " + seconds + " -M prepared ...");
    PgBenchResult result = pgbench.get().run(database.jdbi(), PGBENCH_CLIENTS, seconds);
    say(String.format("pgbench: %,.0f TPS, latency average %.3f ms", result.tps(), result.latencyAverageMillis()));
    return Optional.of(result);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
