package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.db.Database;
import io.planperfect.pipeline.PipelineRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Issue 20 item 6's soak: the six instant stages at 80% of a capacity measured first (or
 * {@code --rate}), paced through intake for {@code --minutes}; per minute the jobs finished per
 * second and the event handoff p50/p99, written as CSV and as an SVG plot, with each trend's
 * least-squares slope printed. Run it with {@code ./bench soak --help}.
 */
public final class SoakHarness {
  private static final int WARMUP_JOBS = 500;
  private static final double PACED_SHARE = 0.8;

  private SoakHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, SoakOptions::parse, SoakHarness::run);
  }

  private static void run(SoakOptions options) {
    say(options.database().isPresent() ? "using " + options.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      Jdbi jdbi = database.jdbi();
      MachineInfo.collect(jdbi).lines().forEach(SoakHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      Optional<PgBenchResult> pgbench = PgBenchReference.run(server, jdbi, options.pgbenchSeconds(), SoakHarness::say);
      BenchPipeline.raiseLimits(jdbi);
      PipelineRegistry registry = BacklogHarness.registry();
      try (PlanPerfectNode node = PlanPerfectNode.start(BenchNodeSettings.of(server.address(), options.stageConcurrency()), registry,
          NodeOptions.serve(Map.of()))) {
        PipelineLoad load = new PipelineLoad(node.intake(), registry.all().get(0), jdbi);
        say(String.format("warm-up: %,d jobs (not recorded)...", WARMUP_JOBS));
        load.heavy(WARMUP_JOBS, options.submitters());
        double rate;
        if (options.rate().isPresent()) {
          rate = options.rate().getAsDouble();
        } else {
          say(String.format("capacity: %,d jobs from %d submitters...", options.capacityJobs(), options.submitters()));
          PipelineLoad.HeavyRun heavy = load.heavy(options.capacityJobs(), options.submitters());
          double capacity = heavy.ids().size() / heavy.totalSeconds();
          rate = PACED_SHARE * capacity;
          say(String.format("  %,.1f jobs/s; the soak runs at %.0f%% of it", capacity, 100 * PACED_SHARE));
        }
        SoakStats stats = new SoakStats(jdbi);
        say(String.format("soak: %.1f jobs/s for %d minutes (load average %s)...", rate, options.minutes(),
            MachineInfo.loadAverage()));
        OffsetDateTime from = stats.now();
        PacedLoad.PacedRun run = new PacedLoad(load).run(rate, options.minutes() * 60, options.submitters());
        OffsetDateTime to = from.plusMinutes(options.minutes());
        say(String.format("  %,d jobs submitted in %.1f s (latest submit start %.1f ms behind schedule), all finished after"
            + " %.1f s; load average %s", run.ids().size(), run.submitSeconds(), run.maxStartLagMillis(), run.totalSeconds(),
            MachineInfo.loadAverage()));
        List<SoakMinute> minutes = stats.perMinute(from, to);
        report(minutes, rate, pgbench, options);
      }
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static void report(List<SoakMinute> minutes, double rate, Optional<PgBenchResult> pgbench, SoakOptions options) {
    StringBuilder csv = new StringBuilder("minute,jobs_per_second,stage_completions_per_second,handoffs,handoff_p50_ms,handoff_p99_ms\n");
    say("");
    say("| minute | jobs finished/s | stage completions/s | handoffs | handoff p50 ms | handoff p99 ms |");
    say("|---|---|---|---|---|---|");
    for (SoakMinute m : minutes) {
      csv.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%d,%.2f,%.2f%n", m.minute(), m.jobsPerSecond(),
          m.stageCompletionsPerSecond(), m.handoffs(), m.p50Millis(), m.p99Millis()));
      say(String.format("| %d | %.1f | %.0f | %,d | %.2f | %.2f |", m.minute(), m.jobsPerSecond(), m.stageCompletionsPerSecond(),
          m.handoffs(), m.p50Millis(), m.p99Millis()));
    }
    double throughputSlope = SoakMinute.slope(minutes, SoakMinute::jobsPerSecond);
    double p99Slope = SoakMinute.slope(minutes, SoakMinute::p99Millis);
    double meanThroughput = minutes.stream().mapToDouble(SoakMinute::jobsPerSecond).average().orElse(0);
    double meanP99 = minutes.stream().mapToDouble(SoakMinute::p99Millis).average().orElse(0);
    say(String.format("trend (least squares over %d minutes): throughput %+.3f jobs/s per minute (%+.1f%% of its mean %.1f per"
        + " hour), handoff p99 %+.3f ms per minute (%+.1f%% of its mean %.1f ms per hour)", minutes.size(), throughputSlope,
        percentPerHour(throughputSlope, meanThroughput), meanThroughput, p99Slope, percentPerHour(p99Slope, meanP99), meanP99));
    pgbench.ifPresent(p -> say(String.format("pgbench -N, %d clients, same server, same run: %,.0f TPS; soak stage completions"
        + " ÷ pgbench: %.2fx", PgBenchReference.CLIENTS, p.tps(), rate * BenchPipeline.STAGES.size() / p.tps())));
    String title = String.format(Locale.ROOT, "./bench soak --minutes %d: %.1f jobs/s paced, six instant stages, %s",
        options.minutes(), rate, LocalDate.now(ZoneOffset.UTC));
    write(options.out().resolve("soak.csv"), csv.toString());
    write(options.out().resolve("soak.svg"), SoakPlot.svg(title, minutes));
    say("wrote " + options.out().resolve("soak.csv") + " and " + options.out().resolve("soak.svg"));
  }

  private static double percentPerHour(double slopePerMinute, double mean) {
    return mean == 0 ? 0 : 100 * slopePerMinute * 60 / mean;
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }



  private static void say(String line) {
    System.out.println(line);
  }
}
