package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.worker.StageFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * The scale-out figure (issue 20 item 8): pgbench -N on the server first, then for each node count
 * a backlog of jobs queued through the intake, that many {@link ScaleNode} JVMs started on it (real
 * nodes, six instant stages), and after a warm-up a measured window: stage transitions per second
 * (archived messages of queue content), the nodes' and the database's CPU, the machine's busy share.
 * Run it with {@code ./bench scale --help}.
 */
public final class ScaleHarness {
  private static final int PGBENCH_CLIENTS = 4;
  private static final int SUBMITTERS = 4;

  // why: every table a node writes for a job; the embedded server is the harness's own, so each count starts empty.
  private static final String RESET_EMBEDDED = """
      truncate jobs, job_stages, job_payloads, job_events, dead_letters, queue_messages, queue_archive, stage_slots cascade""";
  private static final String RESET_GIVEN = "delete from queue_messages where queue_name = 'content'";

  private ScaleHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, ScaleOptions::parse, ScaleHarness::run);
  }

  private static void run(ScaleOptions options) {
    say(options.database().isPresent() ? "using " + options.database().get().displayUrl()
        : "starting a durable embedded PostgreSQL in a temp dir...");
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      MachineInfo.collect(database.jdbi()).lines().forEach(ScaleHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      Optional<PgBenchResult> pgbench = runPgBench(server, database, options.pgbenchSeconds());
      BenchPipeline.raiseLimits(database.jdbi());
      ScaleTable table = new ScaleTable(pgbench);
      PipelineDefinition pipeline = BenchPipeline.definition(new HandlerClock(BenchPipeline.STAGES));
      Settings settings = PipelineHarness.nodeSettings(server.address(), PipelineOptions.parse(new String[0]));
      // why: a node whose loops never start is the intake alone: it queues the backlog and works nothing.
      try (PlanPerfectNode intakeNode = PlanPerfectNode.open(settings, new PipelineRegistry(List.of(pipeline)),
          NodeOptions.worker(StageFilter.ALL, Map.of()))) {
        PipelineLoad intake = new PipelineLoad(intakeNode.intake(), pipeline, database.jdbi());
        for (int nodes : options.nodes()) {
          database.jdbi().useHandle(h -> h.execute(server.isEmbedded() ? RESET_EMBEDDED : RESET_GIVEN));
          queueBacklog(intake, options.backlogJobs());
          try {
            table.add(measure(nodes, server, database.jdbi(), options));
          } catch (NodeProcess.NotReady e) {
            // why: on a saturated machine a JVM may start too late; the other counts are still worth a row.
            say("  " + e.getMessage());
            table.notMeasured(nodes, e.getMessage());
          }
        }
      }
      say("");
      say("each node: PLANPERFECT_STAGE_CONCURRENCY " + options.stageConcurrency() + ", pool " + Settings.DEFAULT_POOL_SIZE + ", JVM options " + options.nodeJavaOptions() + "; max_concurrency "
          + BenchPipeline.MAX_CONCURRENCY + " per stage; " + options.seconds() + " s window after " + options.warmupSeconds()
          + " s warm-up; backlog " + options.backlogJobs() + " jobs queued before each count");
      table.lines().forEach(ScaleHarness::say);
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static void queueBacklog(PipelineLoad intake, int jobs) {
    say("");
    say(String.format("queueing a backlog of %,d jobs through the intake...", jobs));
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
    AtomicInteger next = new AtomicInteger();
    try {
      List<Future<?>> submitters = new ArrayList<>();
      for (int t = 0; t < SUBMITTERS; t++) {
        submitters.add(pool.submit(() -> {
          for (int n = next.getAndIncrement(); n < jobs; n = next.getAndIncrement()) {
            intake.submit(n);
          }
        }));
      }
      for (Future<?> submitter : submitters) {
        await(submitter);
      }
    } finally {
      pool.shutdownNow();
    }
    say(String.format("  queued in %.1f s", (System.nanoTime() - started) / 1e9));
  }

  private static ScaleResult measure(int count, BenchServer server, Jdbi jdbi, ScaleOptions options) {
    say(String.format("starting %d node JVM%s...", count, count == 1 ? "" : "s"));
    List<NodeProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Path log = Path.of("benchmarks", "target", "scale-logs", "nodes-" + count + "-node-" + (i + 1) + ".log");
        nodes.add(NodeProcess.start(server.address(), options.stageConcurrency(), options.nodeJavaOptions(), log.toAbsolutePath()));
      }
      nodes.forEach(NodeProcess::awaitReady);
      sleep(Duration.ofSeconds(options.warmupSeconds()));
      CpuMeter meter = new CpuMeter(() -> nodes.stream().flatMap(n -> Stream.concat(Stream.of(n.handle()), n.handle().descendants())).toList(), postmaster(jdbi));
      OffsetDateTime from = databaseNow(jdbi);
      CpuMeter.Sample before = meter.sample();
      sleep(Duration.ofSeconds(options.seconds()));
      OffsetDateTime until = databaseNow(jdbi);
      CpuMeter.Usage usage = before.until(meter.sample());
      String load = MachineInfo.loadAverage();
      long transitions = transitionsBetween(jdbi, from, until);
      long ready = readyLeft(jdbi);
      double seconds = Duration.between(from, until).toNanos() / 1e9;
      ScaleResult result = new ScaleResult(count, transitions / seconds, usage, load, ready);
      say(String.format("  %d node%s: %,.0f stage transitions/s; nodes %.2f cores, database %s cores, machine %.0f%% busy;"
          + " load %s; %,d messages still waiting", count, count == 1 ? "" : "s", result.transitionsPerSecond(), usage.nodeCores(),
          usage.databaseCores().map(c -> String.format("%.2f", c)).orElse("n/a"), usage.machineBusy() * 100, load, ready));
      return result;
    } finally {
      say("  stopping the nodes...");
      nodes.forEach(NodeProcess::close);
    }
  }

  private static Optional<ProcessHandle> postmaster(Jdbi jdbi) {
    long backend = jdbi.withHandle(h -> h.createQuery("select pg_backend_pid()").mapTo(Long.class).one());
    return CpuMeter.postmasterOf(backend);
  }

  private static OffsetDateTime databaseNow(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("select clock_timestamp()").mapTo(OffsetDateTime.class).one());
  }

  // why: every stage transition archives its message, stamped with its transaction's now().
  private static long transitionsBetween(Jdbi jdbi, OffsetDateTime from, OffsetDateTime until) {
    return jdbi.withHandle(h -> h.createQuery("""
            select count(*) from queue_archive
             where queue_name = 'content' and archived_at >= :from and archived_at < :until""")
        .bind("from", from).bind("until", until).mapTo(Long.class).one());
  }

  private static long readyLeft(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("select count(*) from queue_messages where queue_name = 'content'")
        .mapTo(Long.class).one());
  }

  private static Optional<PgBenchResult> runPgBench(BenchServer server, Database database, int seconds) {
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

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring", e);
    }
  }

  private static void await(Future<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing the backlog", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a submitter failed", e.getCause());
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
