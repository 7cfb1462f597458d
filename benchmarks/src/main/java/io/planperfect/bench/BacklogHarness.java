package io.planperfect.bench;

import io.planperfect.db.Database;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Issue 20 items 6 and 7: the six instant stages' rate with a shallow queue and with a deep
 * backlog (100,000 jobs queued by SQL, not counted), same node, same run, beside pgbench; and the
 * node's RSS (a child JVM with the launcher's default heap options) while the backlog fills and
 * drains. A rate is the stage completions whose events fall in a window, six per job.
 * Run it with {@code ./bench backlog --help}.
 */
public final class BacklogHarness {
  private static final int WARMUP_JOBS = 1_000;
  private static final long RSS_PERIOD_MILLIS = 2_000;
  // why: the node needs a moment after a fill commits before every stage has work; not counted.
  private static final long SETTLE_MILLIS = 3_000;

  private BacklogHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, BacklogOptions::parse, BacklogHarness::run);
  }

  /** Stage completions and job completions per second over one window, and the queue depth at its end. */
  record Rate(String run, double stageCompletionsPerSecond, double jobsPerSecond, long queuedAtStart, long queuedAtEnd) {}

  private static void run(BacklogOptions options) {
    say(options.database().isPresent() ? "using " + options.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      Jdbi jdbi = database.jdbi();
      MachineInfo.collect(jdbi).lines().forEach(BacklogHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      Optional<PgBenchResult> pgbench = PgBenchReference.run(server, jdbi, options.pgbenchSeconds(), BacklogHarness::say);
      BenchPipeline.raiseLimits(jdbi);
      BacklogFill fill = BacklogFill.prepare(jdbi, BenchNodeSettings.of(server.address(), options.stageConcurrency()), registry());
      Path out = Path.of("benchmarks", "target");
      createDirectories(out);
      List<Rate> rates = new ArrayList<>();
      List<RssSampler.Sample> samples;
      try (ChildNode node = ChildNode.start(server.address(), options.stageConcurrency(), out.resolve("backlog-node.log"));
           RssSampler rss = new RssSampler(node, jdbi, RSS_PERIOD_MILLIS)) {
        say("node: child JVM pid " + node.pid() + " with the launcher's default options " + String.join(" ", node.javaOptions())
            + ", PLANPERFECT_STAGE_CONCURRENCY " + options.stageConcurrency() + "; its log: " + out.resolve("backlog-node.log"));
        rss.phase("warm-up");
        say(String.format("warm-up: %,d jobs (not recorded)...", WARMUP_JOBS));
        fill.fill(WARMUP_JOBS);
        awaitDrained(jdbi, 300);

        rss.phase("shallow");
        say(String.format("shallow: %,d jobs queued by SQL, then %d s measured...", options.shallowJobs(), options.windowSeconds()));
        fill.fill(options.shallowJobs());
        if (options.explain()) {
          explain(jdbi, "shallow");
        }
        rates.add(measure(jdbi, "shallow (" + String.format("%,d", options.shallowJobs()) + " queued)", options.windowSeconds()));
        awaitDrained(jdbi, 600);

        rss.phase("filling");
        say(String.format("deep: filling %,d jobs in steps of %,d while the node works...", options.backlog(), options.fillStep()));
        long fillStarted = System.nanoTime();
        for (int queued = 0; queued < options.backlog(); queued += options.fillStep()) {
          fill.fill(Math.min(options.fillStep(), options.backlog() - queued));
        }
        say(String.format("  filled in %.1f s; queued now %,d", (System.nanoTime() - fillStarted) / 1e9, queued(jdbi)));
        rss.phase("deep");
        if (options.explain()) {
          explain(jdbi, "deep");
        }
        rates.add(measure(jdbi, "deep (" + String.format("%,d", options.backlog()) + " queued)", options.windowSeconds()));
        rss.phase("draining");
        // why a second deep window: the first follows the fill at once (autovacuum and analyze of the
        // filled tables, dead index entries at the queue's head); this one says whether that passes
        say(String.format("draining for %d s (RSS sampled), measured as a second deep window...", options.drainSeconds()));
        rates.add(measure(jdbi, "deep, the " + options.drainSeconds() + " s after", options.drainSeconds()));
        samples = rss.samples();
      }
      say("");
      report(rates, pgbench, jdbi);
      rssTable(samples, out.resolve("backlog-rss.csv"));
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static Rate measure(Jdbi jdbi, String run, int windowSeconds) {
    sleep(SETTLE_MILLIS);
    long queuedAtStart = queued(jdbi);
    long fromSeq = jdbi.withHandle(h -> h.createQuery("select coalesce(max(seq), 0) from job_events").mapTo(Long.class).one());
    long started = System.nanoTime();
    sleep(windowSeconds * 1000L);
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Object> counts = jdbi.withHandle(h -> h.createQuery("""
            select count(*) filter (where event_type = 'completed') as stages,
                   count(*) filter (where event_type = 'job_completed') as jobs
              from job_events where seq > :from and pipeline = :pipeline""")
        .bind("from", fromSeq).bind("pipeline", BenchPipeline.NAME).mapToMap().one());
    long queuedAtEnd = queued(jdbi);
    Rate rate = new Rate(run, ((Number) counts.get("stages")).longValue() / seconds,
        ((Number) counts.get("jobs")).longValue() / seconds, queuedAtStart, queuedAtEnd);
    say(String.format("  %s: %,.0f stage completions/s (%,.1f jobs/s of six stages), %,.1f jobs finished/s;"
        + " queued %,d at the window's start, %,d at its end; load average %s", run, rate.stageCompletionsPerSecond(),
        rate.stageCompletionsPerSecond() / BenchPipeline.STAGES.size(), rate.jobsPerSecond(), queuedAtStart, queuedAtEnd,
        MachineInfo.loadAverage()));
    if (queuedAtEnd == 0) {
      say("  NOTE: the queue ran dry inside the window, so this rate is low; raise --shallow-jobs");
    }
    return rate;
  }

  private static void report(List<Rate> rates, Optional<PgBenchResult> pgbench, Jdbi jdbi) {
    say("| run | stage completions/s | jobs/s (÷ 6) | jobs finished/s | queued at start / end | ÷ pgbench TPS |");
    say("|---|---|---|---|---|---|");
    for (Rate r : rates) {
      say(String.format("| %s | %,.0f | %,.1f | %,.1f | %,d / %,d | %s |", r.run(), r.stageCompletionsPerSecond(),
          r.stageCompletionsPerSecond() / BenchPipeline.STAGES.size(), r.jobsPerSecond(), r.queuedAtStart(), r.queuedAtEnd(),
          pgbench.map(p -> String.format("%.2fx", r.stageCompletionsPerSecond() / p.tps())).orElse("n/a")));
    }
    if (rates.size() >= 2 && rates.get(0).stageCompletionsPerSecond() > 0) {
      for (Rate deep : rates.subList(1, rates.size())) {
        double ratio = deep.stageCompletionsPerSecond() / rates.get(0).stageCompletionsPerSecond();
        say(String.format("%s ÷ shallow: %.2f (target: at least 0.80) %s", deep.run(), ratio, ratio >= 0.8 ? "met" : "MISSED"));
      }
    }
    pgbench.ifPresent(p -> say(String.format("pgbench -N, %d clients, same server, same run: %,.0f TPS", PgBenchReference.CLIENTS, p.tps())));
    say("rows now: " + jdbi.withHandle(h -> h.createQuery("""
            select string_agg(relname || ' ' || n_live_tup || ' live / ' || n_dead_tup || ' dead', ', ' order by relname)
              from pg_stat_user_tables
             where relname in ('jobs', 'job_stages', 'job_events', 'job_payloads', 'queue_messages', 'queue_archive')""")
        .mapTo(String.class).one()));
  }

  /** One row per 10 s of samples (the last sample of each) and the CSV of all of them. */
  private static void rssTable(List<RssSampler.Sample> samples, Path csv) {
    StringBuilder all = new StringBuilder("seconds,phase,queued,rss_kib\n");
    samples.forEach(s -> all.append(String.format("%.1f,%s,%d,%d%n", s.seconds(), s.phase(), s.queued(), s.rssKib())));
    try {
      Files.writeString(csv, all);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + csv, e);
    }
    say("");
    say("node RSS (VmRSS of the child JVM) while the backlog fills and drains; every sample in " + csv + ":");
    say("| s | phase | queued messages | RSS MiB |");
    say("|---|---|---|---|");
    long lastBucket = -1;
    for (int i = 0; i < samples.size(); i++) {
      RssSampler.Sample s = samples.get(i);
      long bucket = (long) (s.seconds() / 10);
      boolean phaseEnds = i + 1 == samples.size() || !samples.get(i + 1).phase().equals(s.phase());
      if (bucket != lastBucket || phaseEnds) {
        say(String.format("| %.0f | %s | %,d | %.0f |", s.seconds(), s.phase(), s.queued(), s.rssKib() / 1024.0));
        lastBucket = bucket;
      }
    }
    var stats = samples.stream().filter(s -> !s.phase().equals("start") && !s.phase().equals("warm-up"))
        .mapToLong(RssSampler.Sample::rssKib).summaryStatistics();
    say(String.format("RSS after the warm-up: min %.0f MiB, max %.0f MiB over %d samples", stats.getMin() / 1024.0,
        stats.getMax() / 1024.0, stats.getCount()));
  }

  /**
   * The first stage holds the backlog; the second's messages have higher ids than all of it, which is
   * what a claim in msg_id order has to pass over if it does not read its own stage's index range.
   */
  private static void explain(Jdbi jdbi, String depth) {
    for (String stage : BenchPipeline.STAGES.subList(0, 2)) {
      say("  the claim's nested plans at " + depth + " depth (stage " + stage + ", rolled back):");
      ClaimPlans.of(jdbi, stage).forEach(line -> say("    " + line));
      say("  the claim's head read alone at " + depth + " depth (stage " + stage + ", EXPLAIN ANALYZE):");
      ClaimPlans.headPlan(jdbi, stage).forEach(line -> say("    " + line));
    }
  }

  private static long queued(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("select count(*) from queue_messages where queue_name = :q")
        .bind("q", BenchPipeline.QUEUE).mapTo(Long.class).one());
  }

  private static void awaitDrained(Jdbi jdbi, int maxSeconds) {
    long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
    while (queued(jdbi) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the queue did not drain within " + maxSeconds + " s");
      }
      sleep(1_000);
    }
  }

  static PipelineRegistry registry() {
    return new PipelineRegistry(List.of(new PipelineDefinition(BenchPipeline.NAME, BenchPipeline.QUEUE,
        List.of(BenchPipeline.JOB_TYPE), BenchPipeline.STAGES.stream()
            .map(stage -> new StageDefinition(stage, context -> StageOutcome.completed(Json.object().put("ok", true))))
            .toList())));
  }



  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
