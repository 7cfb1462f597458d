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
 * an {@link IntakeLoad} posting {@code /functions/v1/content-intake} with 16 and 64 connections (wrk in
 * its own process when installed, as {@code ./bench} does; the JDK's client in this JVM otherwise). Each
 * run reports requests/s and latency beside the jobs and stage completions the node finished in
 * the same seconds (intake and workers must not starve each other). Then the same runs with the six
 * stages paused: intake alone, what it reaches when it has the machine to itself. Run it with
 * {@code ./bench intake}.
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
        IntakeLoad load = load(options, node.port(), key);
        say("load generator: " + load.describe());
        Jdbi jdbi = database.jdbi();
        say(String.format("warm-up: %d connections for %d s (not recorded)...", options.connections().get(0),
            options.warmupSeconds()));
        load.run(options.connections().get(0), Duration.ofSeconds(options.warmupSeconds()));
        awaitDrained(jdbi);
        for (boolean paused : options.pausedRuns()) {
          for (int connections : options.connections()) {
            say(String.format("%d connections for %d s, stages %s...", connections, options.seconds(),
                paused ? "paused" : "running"));
            BenchPipeline.enableStages(jdbi, !paused);
            Progress before = Progress.read(jdbi);
            IntakeLoad.Run run = load.run(connections, Duration.ofSeconds(options.seconds()));
            Progress after = Progress.read(jdbi);
            rows.add(row(run, paused, before, after, pgbench));
            say("  " + rows.get(rows.size() - 1) + "; load average " + MachineInfo.loadAverage());
            say("  " + IntakeTransactions.since(jdbi, before.lastEvent()).line());
            if (paused) {
              say(String.format("  discarding the %,d jobs the paused run queued (too many to drain between runs)",
                  discardQueued(jdbi)));
            }
            BenchPipeline.enableStages(jdbi, true);
            awaitDrained(jdbi);
            say("  " + HeapReport.line());
          }
        }
      }
      say("");
      say("node: " + settings.describe() + "; six instant stages, max_concurrency " + BenchPipeline.MAX_CONCURRENCY);
      say(PgBenchResult.summary(pgbench));
      say(header());
      rows.forEach(IntakeLoadHarness::say);
      say("target (issue 20 item 5): >= 3,000 req/s with p99 < 20 ms at 16 and 64 connections, stages running and the queue"
          + " draining meanwhile; the 'paused' rows are intake alone (the six stages disabled during the run), its own capacity");
      say("harness JVM (the node, and the clients with --client java): " + HeapReport.line());
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
    return String.format("%-11s %-8s %10s %8s %8s %8s %7s %11s %13s %10s %9s", "connections", "stages", "req/s",
        "p50 ms", "p99 ms", "max ms", "errors", "jobs done/s", "stages done/s", "backlog +", "x pgbench");
  }

  static String row(IntakeLoad.Run run, boolean paused, Progress before, Progress after, Optional<PgBenchResult> pgbench) {
    double seconds = (after.nanos() - before.nanos()) / 1e9;
    String ratio = pgbench.map(p -> String.format("%.2f", run.requestsPerSecond() / p.tps())).orElse("n/a");
    return String.format("%-11d %-8s %,10.0f %8.2f %8.2f %8.1f %7d %,11.0f %,13.0f %,10d %9s", run.connections(),
        paused ? "paused" : "running", run.requestsPerSecond(), run.p50Millis(), run.p99Millis(), run.maxMillis(),
        run.failed(), (after.jobsCompleted() - before.jobsCompleted()) / seconds,
        (after.stagesCompleted() - before.stagesCompleted()) / seconds, after.waiting() - before.waiting(), ratio);
  }

  /** Cancels the queued benchmark jobs and deletes their messages, in one transaction; returns how many. */
  private static int discardQueued(Jdbi jdbi) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("delete from queue_messages where queue_name = :queue").bind("queue", BenchPipeline.QUEUE).execute();
      return h.createUpdate("""
              update jobs set status = 'cancelled', updated_at = now() where status = 'queued' and job_type = :type""")
          .bind("type", BenchPipeline.JOB_TYPE).execute();
    });
  }

  private static IntakeLoad load(IntakeOptions options, int port, String key) {
    if (options.client().equals("java")) {
      return new JavaClientLoad(port, key);
    }
    Optional<WrkLoad> wrk = WrkLoad.find(port, key);
    if (wrk.isEmpty()) {
      if (options.client().equals("wrk")) {
        throw new IllegalStateException("--client wrk: wrk is not on PATH (Debian: apt-get install wrk)");
      }
      say("NOTE: wrk is not on PATH (Debian: apt-get install wrk); the JDK's HttpClient in this JVM sends the load,"
          + " and on a small machine it takes CPU from the node it measures");
      return new JavaClientLoad(port, key);
    }
    return wrk.get();
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
