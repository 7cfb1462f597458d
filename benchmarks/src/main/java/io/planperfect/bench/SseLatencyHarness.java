package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Live progress latency: from the commit of a stage's completion to its {@code completed} event
 * arriving at Server-Sent Events clients on loopback, while the pipeline runs at 0.8 × its measured
 * capacity, in named scenarios (see {@link SseOptions}): firehose clients; a client on each job's own
 * stream as it is submitted (up to 500 open); 10 firehose clients among 500 connected; 500 on one
 * stage's firehose. And what open streams cost the node (threads, heap). The start is the node's
 * {@code RESULT_COMMITTED} hook ({@link CommitClock}), the end the client's reading of the event's
 * blank line, on the machine's monotonic clock (the clients may run in a JVM of their own,
 * {@code --clients-jvm}). Run it with {@code ./bench sse --help}.
 *
 * <p>The capacity is measured with no stream open; a scenario's streams take CPU from the pipeline, so
 * when a scenario's jobs were still finishing well after the last was submitted (a backlog built up),
 * the pace was over what the node sustains with those streams open: the scenario runs once more at
 * 0.8 × the rate it did sustain (jobs over the whole run's time; both runs are printed, the second is
 * the figure at 80% of capacity, and flagged when it too built a backlog). Not with {@code --paced-rate}.
 */
public final class SseLatencyHarness {
  private static final double PACED_SHARE = 0.8;
  /**
   * A paced run whose last jobs finished more than this share of its submitting time after the last submit
   * (plus {@link #DRAIN_SLACK_SECONDS}) built a backlog: the pace was over the node's capacity.
   */
  private static final double BACKLOG_SHARE = 0.05;
  private static final double DRAIN_SLACK_SECONDS = 0.5;
  private static final int WARMUP_JOBS = 200;
  private static final int STREAM_WARMUP_SECONDS = 8;

  private SseLatencyHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, SseOptions::parse, SseLatencyHarness::run);
  }

  private static void run(SseOptions options) {
    PipelineOptions pipelineOptions = options.pipeline();
    say(pipelineOptions.database().isPresent() ? "using " + pipelineOptions.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(pipelineOptions.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      MachineInfo.collect(database.jdbi()).lines().forEach(SseLatencyHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      PipelineHarness.runPgBench(server, database, pipelineOptions);
      BenchPipeline.raiseLimits(database.jdbi());
      CommitClock commits = new CommitClock();
      PipelineDefinition pipeline = BenchPipeline.definition(new HandlerClock(BenchPipeline.STAGES));
      Settings settings = PipelineHarness.nodeSettings(server.address(), pipelineOptions);
      try (PlanPerfectNode node = PlanPerfectNode.start(settings, new PipelineRegistry(List.of(pipeline)),
          NodeOptions.serve(Map.of()).withHooks(commits))) {
        measure(node, new PipelineLoad(node.intake(), pipeline, database.jdbi()), commits, options);
      }
      // why: the feed delivers in sequence order and waits at a missing number until it cannot commit any more
      say("sequence numbers taken but never committed (rolled back): " + database.jdbi().withHandle(h -> h.createQuery(
          "select coalesce(max(seq) - min(seq) + 1 - count(*), 0) from job_events").mapTo(Long.class).one()));
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static void measure(PlanPerfectNode node, PipelineLoad load, CommitClock commits, SseOptions options) {
    String base = "http://127.0.0.1:" + node.port();
    String key = node.keys().serviceKey();
    say(String.format("warm-up: %,d jobs (not recorded)...", WARMUP_JOBS));
    load.heavy(WARMUP_JOBS, 4);
    PipelineLoad.HeavyRun heavy = load.heavy(options.pipeline().heavyJobs(), 4);
    double capacity = heavy.ids().size() / heavy.totalSeconds();
    say(String.format("capacity: %,d jobs finished in %.1f s = %.1f jobs/s (no stream open)",
        heavy.ids().size(), heavy.totalSeconds(), capacity));

    idleStreams(base, key, commits, options.idleStreams());

    double rate = options.pipeline().pacedRate().orElse(PACED_SHARE * capacity);
    boolean adapt = options.pipeline().pacedRate().isEmpty();
    Scenarios scenarios = new Scenarios(node, load, commits, options, base, key);
    try (SseClientJvm jvm = options.clientsJvm() ? new SseClientJvm() : null) {
      scenarios.groups = jvm == null ? () -> SseClientGroup.local(commits) : () -> jvm.group(commits);
      say("clients in " + (jvm == null ? "the node's JVM" : "a JVM of their own (--clients-jvm)"));
      scenarios.warmUp(rate, STREAM_WARMUP_SECONDS);
      for (String scenario : options.scenarios()) {
        switch (scenario) {
          case "firehose" -> options.clients().forEach(clients ->
              atSustainedRate(rate, adapt, r -> scenarios.firehose(clients, r)));
          case "jobs" -> atSustainedRate(rate, adapt, scenarios::jobs);
          case "mixed" -> atSustainedRate(rate, adapt, scenarios::mixed);
          case "stage" -> atSustainedRate(rate, adapt, scenarios::stage);
          default -> throw new IllegalArgumentException("no scenario " + scenario);
        }
      }
    }
  }

  /**
   * Runs a scenario at {@code rate}; when it built a backlog and {@code adapt}, once more at
   * {@value #PACED_SHARE} of the rate it sustained.
   */
  private static void atSustainedRate(double rate, boolean adapt, java.util.function.Function<Double, PacedLoad.PacedRun> scenario) {
    PacedLoad.PacedRun first = scenario.apply(rate);
    pause(500);
    if (adapt && backlogged(first)) {
      double done = first.ids().size() / first.totalSeconds();
      say(String.format("  the last jobs finished %.1f s after the last submit (%.1f jobs/s done of the %.1f/s paced): over the"
          + " node's capacity with this scenario's streams open; again at %.0f%% of %.1f",
          first.totalSeconds() - first.submitSeconds(), done, rate, PACED_SHARE * 100, done));
      PacedLoad.PacedRun again = scenario.apply(PACED_SHARE * done);
      if (backlogged(again)) {
        say(String.format("  NOTE: this run built a backlog too (its last jobs finished %.1f s after the last submit): not a"
            + " figure at 80%% of capacity", again.totalSeconds() - again.submitSeconds()));
      }
      pause(500);
    }
  }

  private static boolean backlogged(PacedLoad.PacedRun run) {
    return run.totalSeconds() - run.submitSeconds() > BACKLOG_SHARE * run.submitSeconds() + DRAIN_SLACK_SECONDS;
  }

  /**
   * The measured runs, each at the paced rate given: clients in groups ({@link SseClientGroup}), the measured
   * group's completed events timed from the stage's commit, and an in-process subscriber of the feed
   * timed the same way (the feed's own share of the time, without HTTP).
   */
  private static final class Scenarios {
    private final PlanPerfectNode node;
    private final PipelineLoad load;
    private final CommitClock commits;
    private final SseOptions options;
    private final String base;
    private final String key;
    private java.util.function.Supplier<SseClientGroup> groups;

    Scenarios(PlanPerfectNode node, PipelineLoad load, CommitClock commits, SseOptions options, String base, String key) {
      this.node = node;
      this.load = load;
      this.commits = commits;
      this.options = options;
      this.base = base;
      this.key = key;
    }

    /**
     * Not recorded: the mixed scenario's streams for {@code seconds} at {@code rate}, so the first measured
     * scenario does not pay for coming first (the code that sends events compiled, the seconds after the
     * capacity run's churn of the tables passed). why: without it the first scenario of every run had a
     * p99 ten times the others' (the in-process subscriber's too), whichever scenario came first.
     */
    void warmUp(double rate, int seconds) {
      say(String.format("warm-up of the streams: 10 firehose clients and a stream per job, %.1f jobs/s for %d s (not recorded)...",
          rate, seconds));
      try (SseClientGroup jobs = groups.get(); SseClientGroup firehose = groups.get()) {
        firehose.open(firehose(null), key, 10);
        new PacedLoad(load).run(rate, seconds, 4,
            id -> jobs.attach(URI.create(base + "/api/v1/jobs/" + id + "/stream"), key, options.connected()));
        pause(1_000);
      }
      pause(500);
    }

    /** N clients of the firehose (pipeline, optional stage), with --quiet streams open beside them. */
    PacedLoad.PacedRun firehose(int clients, double rate) {
      String stage = options.stageFilter();
      try (SseClientGroup quiet = groups.get(); SseClientGroup measured = groups.get()) {
        if (options.quiet() > 0) {
          quiet.open(URI.create(base + "/api/v1/stream?pipeline=no-such-pipeline"), key, options.quiet());
        }
        measured.open(firehose(stage), key, clients);
        return run(rate, "firehose", String.format("%d clients on %s (and %d quiet streams open)", clients,
            firehose(stage).toString().substring(base.length()), options.quiet()), stage, measured, null, 0);
      }
    }

    /** Every job as it is submitted gets a client of its own job stream, up to --connected open at once. */
    PacedLoad.PacedRun jobs(double rate) {
      try (SseClientGroup jobs = groups.get()) {
        return run(rate, "jobs", String.format("a client on /api/v1/jobs/{id}/stream for each job as it is submitted, up to %d open",
            options.connected()), null, jobs, jobs, options.connected());
      }
    }

    /** 10 firehose clients measured while the rest of --connected follow their own jobs' streams. */
    PacedLoad.PacedRun mixed(double rate) {
      int measuredCount = options.measuredAmongJobs();
      try (SseClientGroup jobs = groups.get(); SseClientGroup measured = groups.get()) {
        measured.open(firehose(null), key, measuredCount);
        return run(rate, "mixed", String.format("%d clients on /api/v1/stream?pipeline=%s measured, up to %d more on their own jobs' streams",
            measuredCount, BenchPipeline.NAME, options.connected() - measuredCount), null, measured, jobs,
            options.connected() - measuredCount);
      }
    }

    /** --connected clients of the firehose filtered by one stage. */
    PacedLoad.PacedRun stage(double rate) {
      String stage = options.stageFilter() == null ? "complete" : options.stageFilter();
      try (SseClientGroup measured = groups.get()) {
        measured.open(firehose(stage), key, options.connected());
        return run(rate, "stage", String.format("%d clients on %s", options.connected(), firehose(stage).toString().substring(base.length())),
            stage, measured, null, 0);
      }
    }

    private URI firehose(String stage) {
      return URI.create(base + "/api/v1/stream?pipeline=" + BenchPipeline.NAME + (stage == null ? "" : "&stage=" + stage));
    }

    /** One paced run of a scenario. */
    private PacedLoad.PacedRun run(double rate, String name, String description, String stage, SseClientGroup measured,
        SseClientGroup jobs, int jobCap) {
      commits.clear();
      LatencyRecorder feed = new LatencyRecorder();
      try (var direct = node.changes().subscribe(change -> {
        if (change.event().equals("completed") && (stage == null || stage.equals(change.stage()))) {
          Long committed = commits.committedAt(change.jobId().toString(), change.stage());
          if (committed != null) {
            synchronized (feed) {
              feed.record(System.nanoTime() - committed);
            }
          }
        }
      })) {
        say(String.format("scenario %s: %s; paced load %.1f jobs/s for %d s...", name, description, rate,
            options.pipeline().pacedSeconds()));
        PacedLoad.PacedRun paced = new PacedLoad(load).run(rate, options.pipeline().pacedSeconds(), 4, id -> {
          if (jobs != null) {
            jobs.attach(URI.create(base + "/api/v1/jobs/" + id + "/stream"), key, jobCap);
          }
        });
        pause(1_000);
        SseGroupResult result = measured.result();
        LatencyRecorder latency = result.latencies();
        long frames = result.frames();
        String jobStreams = "";
        if (jobs != null && jobs != measured) {
          SseGroupResult other = jobs.result();
          frames += other.frames();
          jobStreams = String.format("; job streams: %,d finished, most open at once %d, %,d jobs without a stream (cap),"
                  + " p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d timed)", other.finished(), other.mostOpen(), other.skipped(),
              other.latencies().percentileMillis(50), other.latencies().percentileMillis(99),
              other.latencies().percentileMillis(100), other.latencies().count());
          jobStreams += other.dropped() > 0 ? String.format(", %d dropped", other.dropped()) : "";
        } else if (jobs != null) {
          jobStreams = String.format("; %,d streams finished, most open at once %d, %,d jobs without a stream (cap)",
              result.finished(), result.mostOpen(), result.skipped());
        }
        say(String.format("  %s: commit -> event p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %,d events timed"
                + " (%,d unmatched); %,.0f frames/s to all clients; %d streams dropped%s; %.1f jobs/s done; load average %s",
            name, latency.percentileMillis(50), latency.percentileMillis(99), latency.percentileMillis(99.9),
            latency.percentileMillis(100), latency.count(), result.unmatched(), frames / paced.totalSeconds(),
            result.dropped(), jobStreams, paced.ids().size() / paced.totalSeconds(), MachineInfo.loadAverage()));
        synchronized (feed) {
          say(String.format("  the same changes at an in-process subscriber of the feed (no HTTP): p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d)",
              feed.percentileMillis(50), feed.percentileMillis(99), feed.percentileMillis(100), feed.count()));
        }
        return paced;
      }
    }
  }

  /** Opens {@code count} streams that receive nothing and reports the node's threads and heap before and after. */
  private static void idleStreams(String base, String key, CommitClock commits, int count) {
    Footprint before = Footprint.now();
    try (SseClients idle = new SseClients(commits)) {
      idle.open(URI.create(base + "/api/v1/stream?pipeline=no-such-pipeline"), key, count);
      pause(1_000);
      Footprint after = Footprint.now();
      say(String.format("%,d idle streams open (%d ended): JVM threads %d -> %d (the clients' own: 1), heap after GC %.1f -> %.1f MB"
              + " (%.1f KB per stream, client and server sides together)",
          count, idle.ended(), before.threads(), after.threads(), before.heapMb(), after.heapMb(),
          (after.heapMb() - before.heapMb()) * 1024 / count));
      say("  threads by name: " + threadsByName());
    }
    pause(1_000);
  }

  private static String threadsByName() {
    Map<String, Long> names = new java.util.TreeMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      names.merge(thread.getName().replaceAll("[-_0-9]+$", ""), 1L, Long::sum);
    }
    return names.toString();
  }

  /** Live threads of this JVM and the heap in use after a full collection. */
  private record Footprint(int threads, double heapMb) {
    static Footprint now() {
      System.gc();
      pause(200);
      System.gc();
      return new Footprint(ManagementFactory.getThreadMXBean().getThreadCount(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
    }
  }

  private static void pause(long millis) {
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
