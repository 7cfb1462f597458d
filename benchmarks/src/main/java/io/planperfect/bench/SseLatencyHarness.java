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
 * arriving at Server-Sent Events clients on loopback, with 10 and with 500 clients connected while
 * the pipeline runs at 0.8 × its measured capacity; and what open streams cost the node (threads,
 * heap). The node runs in this JVM so one monotonic clock times both ends: the start is the node's
 * {@code RESULT_COMMITTED} hook ({@link CommitClock}), the end the client's reading of the event's
 * blank line. Run it with {@code ./bench sse --help}.
 */
public final class SseLatencyHarness {
  private static final double PACED_SHARE = 0.8;
  private static final int WARMUP_JOBS = 200;

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
    String stream = base + "/api/v1/stream?pipeline=" + BenchPipeline.NAME
        + (options.stageFilter() == null ? "" : "&stage=" + options.stageFilter());
    int stagesPerJob = options.stageFilter() == null ? BenchPipeline.STAGES.size() : 1;
    for (int clients : options.clients()) {
      commits.clear();
      LatencyRecorder feed = new LatencyRecorder();
      String stage = options.stageFilter();
      try (SseClients quiet = new SseClients(commits);
           SseClients sse = new SseClients(commits);
           var direct = node.changes().subscribe(change -> {
             if (change.event().equals("completed") && (stage == null || stage.equals(change.stage()))) {
               Long committed = commits.committedAt(change.jobId().toString(), change.stage());
               if (committed != null) {
                 synchronized (feed) {
                   feed.record(System.nanoTime() - committed);
                 }
               }
             }
           })) {
        if (options.quiet() > 0) {
          quiet.open(URI.create(base + "/api/v1/stream?pipeline=no-such-pipeline"), key, options.quiet());
        }
        sse.open(URI.create(stream), key, clients);
        say(String.format("%d clients on %s (and %d quiet streams open); paced load %.1f jobs/s for %d s...", clients,
            stream.substring(base.length()), options.quiet(), rate, options.pipeline().pacedSeconds()));
        PacedLoad.PacedRun paced = new PacedLoad(load).run(rate, options.pipeline().pacedSeconds(), 4);
        pause(1_000);
        LatencyRecorder latency = sse.latencies();
        long expected = (long) paced.ids().size() * stagesPerJob * clients;
        say(String.format("  %d clients: commit -> event p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms;"
                + " %,d of %,d events timed (%,d unmatched), %d streams dropped; load average %s",
            clients, latency.percentileMillis(50), latency.percentileMillis(99), latency.percentileMillis(99.9),
            latency.percentileMillis(100), latency.count(), expected, sse.unmatched(), sse.ended(), MachineInfo.loadAverage()));
        synchronized (feed) {
          say(String.format("  the same changes at an in-process subscriber of the feed (no HTTP): p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d)",
              feed.percentileMillis(50), feed.percentileMillis(99), feed.percentileMillis(100), feed.count()));
        }
      }
      pause(500);
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
