package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Measures a full node: pgbench -N on the server first, then a {@link PlanPerfectNode} running
 * the six-stage {@link BenchPipeline} with instant handlers, under light load (one job at a
 * time), heavy load (many jobs from several threads, an overload) and paced load (jobs at a fixed
 * rate below the heavy run's capacity). Handoff and job latencies come from job_events; the handler
 * handoff (one stage's handler returning to the next one's starting) from the handlers' own
 * {@link HandlerClock}. Run it with {@code ./bench pipeline --help}.
 */
public final class PipelineHarness {
  private static final int PGBENCH_CLIENTS = 4;
  // why: the first jobs measure class loading, the JIT and cold pools, not the engine.
  private static final int WARMUP_JOBS = 200;
  private static final Duration PACED_WINDOW = Duration.ofSeconds(10);
  // why: a sustainable arrival rate, so the paced handoff is the handoff path and not a backlog.
  private static final double PACED_SHARE = 0.8;

  private PipelineHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, PipelineOptions::parse, PipelineHarness::run);
  }

  private static void run(PipelineOptions options) {
    say(options.database().isPresent() ? "using " + options.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      MachineInfo.collect(database.jdbi()).lines().forEach(PipelineHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      PipelineTable table = new PipelineTable(runPgBench(server, database, options));
      BenchPipeline.raiseLimits(database.jdbi());
      HandlerClock clock = new HandlerClock(BenchPipeline.STAGES);
      PipelineDefinition pipeline = BenchPipeline.definition(clock);
      Settings settings = nodeSettings(server.address(), options);
      try (PlanPerfectNode node = PlanPerfectNode.start(settings, new PipelineRegistry(List.of(pipeline)), NodeOptions.serve(Map.of()))) {
        PipelineStats stats = new PipelineStats(database.jdbi(), settings.visibilityTimeout());
        measure(new PipelineLoad(node.intake(), pipeline, database.jdbi()), stats, clock, options, table);
      }
      say("");
      say("node: " + settings.describe() + "; max_concurrency " + BenchPipeline.MAX_CONCURRENCY + " per stage");
      table.lines().forEach(PipelineHarness::say);
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static void measure(PipelineLoad load, PipelineStats stats, HandlerClock clock, PipelineOptions options,
                              PipelineTable table) {
    say(String.format("warm-up: %,d jobs from %d threads (not recorded)...", WARMUP_JOBS, options.submitters()));
    load.heavy(WARMUP_JOBS, options.submitters());

    say(String.format("light load: %,d jobs, one at a time...", options.lightJobs()));
    List<UUID> light = load.light(options.lightJobs());
    table.add(result("light (1 at a time)", light, stats, clock));
    say("  load average (1 min): " + MachineInfo.loadAverage());

    say(String.format("heavy load: %,d jobs from %d threads...", options.heavyJobs(), options.submitters()));
    PipelineLoad.HeavyRun heavy = load.heavy(options.heavyJobs(), options.submitters());
    say(String.format("  submitted in %.1f s (%,.0f jobs/s through intake), all finished after %.1f s; load average %s",
        heavy.submitSeconds(), heavy.ids().size() / heavy.submitSeconds(), heavy.totalSeconds(), MachineInfo.loadAverage()));
    PipelineResult heavyResult = result("heavy (" + options.submitters() + " submitters)", heavy.ids(), stats, clock);
    table.add(heavyResult);

    double rate = options.pacedRate().orElse(PACED_SHARE * heavyResult.throughput().jobsPerSecond());
    say(String.format("paced load: %.1f jobs/s for %d s (%s)...", rate, options.pacedSeconds(),
        options.pacedRate().isPresent() ? "--paced-rate" : PACED_SHARE + " × the heavy run's jobs/s"));
    long checkpointsBefore = stats.checkpoints();
    Instant pacedStart = Instant.now();
    PacedLoad.PacedRun paced = new PacedLoad(load).run(rate, options.pacedSeconds(), options.submitters());
    say(String.format("  %,d jobs submitted in %.1f s (latest submit start %.1f ms behind schedule),"
        + " all finished after %.1f s; load average %s",
        paced.ids().size(), paced.submitSeconds(), paced.maxStartLagMillis(), paced.totalSeconds(), MachineInfo.loadAverage()));
    say(String.format("  checkpoints begun during the paced run: %d; each table's latest autovacuum and autoanalyze, from the"
        + " paced run's start: %s", stats.checkpoints() - checkpointsBefore, String.join(", ", stats.autovacuumsSince(pacedStart))));
    table.add(result(String.format("paced (%.1f jobs/s)", rate), paced.ids(), stats, clock));
    sayByWindow(stats.handoffsByWindow(paced.ids(), BenchPipeline.STAGES, PACED_WINDOW));
  }

  private static void sayByWindow(List<PipelineStats.WindowedHandoffs> windows) {
    say("  paced event handoff by " + PACED_WINDOW.toSeconds() + " s window (from second: handoffs, p50 / p99 / max ms):");
    for (PipelineStats.WindowedHandoffs window : windows) {
      LatencySummary latency = window.latency();
      say(String.format("    %3d s: %,6d, %.2f / %.2f / %.2f", window.fromSecond(), latency.count(), latency.p50Millis(),
          latency.p99Millis(), latency.maxMillis()));
    }
  }

  private static PipelineResult result(String scenario, List<UUID> jobs, PipelineStats stats, HandlerClock clock) {
    PipelineResult result = new PipelineResult(scenario, jobs.size(), stats.handoffs(jobs, BenchPipeline.STAGES),
        stats.handoffParts(jobs, BenchPipeline.STAGES), clock.handoffs(jobs), stats.endToEnd(jobs), stats.throughput(jobs));
    LatencySummary handler = result.handlerHandoffs().latency();
    say(String.format("  %s: event handoff p50 %.2f ms, p99 %.2f ms, max %.2f ms; handler handoff (%,d) min %.2f ms,"
        + " p50 %.2f ms, p99 %.2f ms, max %.2f ms; job p50 %.1f ms; %,.0f stage completions/s",
        scenario, result.handoffs().p50Millis(), result.handoffs().p99Millis(), result.handoffs().maxMillis(),
        handler.count(), result.handlerHandoffs().minMillis(), handler.p50Millis(), handler.p99Millis(), handler.maxMillis(),
        result.endToEnd().p50Millis(), result.throughput().stageCompletionsPerSecond()));
    return result;
  }

  static Settings nodeSettings(DatabaseAddress address, PipelineOptions options) {
    return Settings.fromEnvironment(Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_PORT", "0",
        "PLANPERFECT_STAGE_CONCURRENCY", Integer.toString(options.stageConcurrency()),
        // why: with both keys given the node writes no key file, so it needs no data dir.
        "PLANPERFECT_SERVICE_KEY", UUID.randomUUID().toString(),
        "PLANPERFECT_ANON_KEY", UUID.randomUUID().toString()));
  }

  static Optional<PgBenchResult> runPgBench(BenchServer server, Database database, PipelineOptions options) {
    Optional<PgBench> pgbench = PgBench.find(server.address());
    if (pgbench.isEmpty()) {
      say("NOTE: pgbench is not on PATH (Debian: apt-get install postgresql-client); ratios will be n/a");
      return Optional.empty();
    }
    say("pgbench -i -s 10, then pgbench -N -c " + PGBENCH_CLIENTS + " -j 2 -T " + options.pgbenchSeconds() + " -M prepared ...");
    PgBenchResult result = pgbench.get().run(database.jdbi(), PGBENCH_CLIENTS, options.pgbenchSeconds());
    say(String.format("pgbench: %,.0f TPS, latency average %.3f ms", result.tps(), result.latencyAverageMillis()));
    return Optional.of(result);
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
