package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.pipeline.PipelineRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * Issue 20 item 1, "know the cost first": what one intake and one stage transition cost, beside
 * one pgbench -N transaction on the same server. Three runs, each measured alone:
 * <ol>
 *   <li>pgbench -N, {@code jobs} transactions on one client;</li>
 *   <li>{@code jobs} intakes, one at a time over HTTP, on a node whose loops are not started
 *       ({@link PlanPerfectNode#open}), so nothing but intake touches the database;</li>
 *   <li>a node that starts its loops over those jobs and runs the six instant stages of each to the
 *       end: {@code 6 × jobs} stage transitions (claim, run, complete, hand off).</li>
 * </ol>
 * For each: statements, round trips, commits, rows and index entries written, HOT updates, WAL,
 * per table and per statement ({@link DatabaseCost}), and the node's JVM CPU by method ({@link CpuProfile}).
 * Run it with {@code ./bench cost}.
 */
public final class CostHarness {
  private static final String DATABASE = "postgres";
  private static final Predicate<String> NODE_THREADS = name -> !name.startsWith("cost-") && !name.startsWith("HttpClient");

  private CostHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, CostOptions::parse, CostHarness::run);
  }

  private static void run(CostOptions options) {
    say("starting a durable embedded PostgreSQL with pg_stat_statements in a temp dir...");
    try (BenchServer server = BenchServer.embeddedWithStatementStats();
         Database database = Database.connect(server.address(), 2)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      Jdbi jdbi = database.jdbi();
      MachineInfo.collect(jdbi).lines().forEach(CostHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      BenchPipeline.raiseLimits(jdbi);
      CostTable table = new CostTable(options.topStatements());
      pgbench(server, database, options.jobs()).ifPresent(table::add);

      say(String.format("warm-up: %,d jobs taken in and finished (not measured)...", options.warmupJobs()));
      try (PlanPerfectNode node = start(server.address(), true)) {
        intakes(node.port(), options.warmupJobs());
        awaitCompleted(jdbi, options.warmupJobs());
      }

      say(String.format("intake: %,d jobs, one at a time over HTTP, no loop running...", options.jobs()));
      DatabaseCost cost = new DatabaseCost(jdbi, DATABASE);
      CpuProfile.Summary intakeCpu;
      try (PlanPerfectNode node = start(server.address(), false)) {
        pause();
        cost.before();
        try (CpuProfile profile = new CpuProfile(NODE_THREADS)) {
          intakes(node.port(), options.jobs());
          intakeCpu = profile.stop(options.topStatements());
        }
      }
      pause();
      table.add(cost.after("one intake (HTTP)", options.jobs()), intakeCpu);

      long transitions = (long) options.jobs() * BenchPipeline.STAGES.size();
      say(String.format("stage transitions: a node runs the %,d jobs' six instant stages (%,d transitions)...",
          options.jobs(), transitions));
      CpuProfile.Summary transitionCpu;
      try (PlanPerfectNode node = start(server.address(), false)) {
        pause();
        cost.before();
        try (CpuProfile profile = new CpuProfile(NODE_THREADS)) {
          node.startLoops();
          awaitCompleted(jdbi, options.warmupJobs() + options.jobs());
          transitionCpu = profile.stop(options.topStatements());
        }
      }
      pause();
      table.add(cost.after("one stage transition", transitions), transitionCpu);

      say("");
      table.lines().forEach(CostHarness::say);
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static PlanPerfectNode start(DatabaseAddress address, boolean loops) {
    Settings settings = Settings.fromEnvironment(Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_PORT", "0",
        // why: scheduled maintenance would add its own statements to the counts.
        "PLANPERFECT_SCHEDULER", "false",
        "PLANPERFECT_SERVICE_KEY", UUID.randomUUID().toString(),
        "PLANPERFECT_ANON_KEY", ANON_KEY));
    PipelineRegistry pipelines =
        new PipelineRegistry(List.of(BenchPipeline.definition(new HandlerClock(BenchPipeline.STAGES))));
    return loops ? PlanPerfectNode.start(settings, pipelines, NodeOptions.serve(Map.of()))
        : PlanPerfectNode.open(settings, pipelines, NodeOptions.serve(Map.of()));
  }

  private static final String ANON_KEY = UUID.randomUUID().toString();

  private static void intakes(int port, int jobs) {
    Thread client = new Thread(() -> {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + port + IntakeLoad.ROUTE);
      for (int i = 0; i < jobs; i++) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ANON_KEY)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(IntakeLoad.body(i))).build();
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 201) {
            throw new IllegalStateException("intake answered " + response.statusCode() + ": " + response.body());
          }
        } catch (IOException e) {
          throw new IllegalStateException("intake failed", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }, "cost-client");
    client.start();
    try {
      client.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitCompleted(Jdbi jdbi, long jobs) {
    while (jdbi.withHandle(h -> h.createQuery("select /* " + DatabaseCost.MARK + " */ count(*) from jobs where status = 'completed'")
        .mapTo(Long.class).one()) < jobs) {
      sleep(200);
    }
  }

  private static Optional<DatabaseCost.Cost> pgbench(BenchServer server, Database database, int transactions) {
    Optional<PgBench> pgbench = PgBench.find(server.address());
    if (pgbench.isEmpty()) {
      say("NOTE: pgbench is not on PATH (Debian: apt-get install postgresql-client); no reference row");
      return Optional.empty();
    }
    say(String.format("pgbench -i -s 10, then pgbench -N -c 1 -t %,d -M prepared ...", transactions));
    DatabaseAddress address = server.address();
    Database bench = null;
    try {
      pgbench.get().initialise(database.jdbi());
      bench = Database.connect(new DatabaseAddress(address.jdbcUrl().replaceFirst("/" + DATABASE + "$", "/" + PgBench.DATABASE),
          address.user(), address.password()), 1);
      DatabaseCost cost = new DatabaseCost(bench.jdbi(), PgBench.DATABASE);
      pause();
      cost.before();
      pgbench.get().runTransactions(transactions);
      pause();
      return Optional.of(cost.after("pgbench -N transaction", transactions));
    } finally {
      if (bench != null) {
        bench.close();
      }
    }
  }

  /** Lets backends flush their counters to the statistics views (at most once a second while busy). */
  private static void pause() {
    sleep(1_500);
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
