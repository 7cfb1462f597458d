package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.generation.GenerationPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Story 4.4's figures (issue 17): pgbench -N first, then a node running the generation pipeline
 * with the offline writer: single generation latency (one job at a time), a 1,000-job batch (time
 * for POST /api/v1/batches to answer, time until the batch finished) and a 5,000-job batch's accept
 * time; then the aged claim statement's latency at 10 thousand and 1 million waiting messages.
 * Run it with {@code ./bench generation}.
 */
public final class GenerationHarness {
  private static final int SINGLE_JOBS = 30;
  private static final int CLAIMS = 2_000;
  private static final Pattern BATCH_ID = Pattern.compile("\"batch_id\":\"([0-9a-f-]{36})\"");

  private GenerationHarness() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, PipelineOptions::parse, GenerationHarness::run);
  }

  private static void run(PipelineOptions options) {
    try (BenchServer server = BenchServer.of(options.database());
         Database database = Database.connect(server.address(), 4)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      database.migrate();
      MachineInfo.collect(database.jdbi()).lines().forEach(GenerationHarness::say);
      say("load average (1 min) at start: " + MachineInfo.loadAverage());
      Optional<PgBenchResult> pgbench = PgBench.find(server.address()).map(p -> p.run(database.jdbi(), 4, options.pgbenchSeconds()));
      say(PgBenchResult.summary(pgbench));
      String anon = UUID.randomUUID().toString();
      Settings settings = nodeSettings(server.address(), anon, options);
      try (PlanPerfectNode node = PlanPerfectNode.start(settings,
          new PipelineRegistry(List.of(GenerationPipeline.definition())), NodeOptions.serve(Map.of()))) {
        Client client = new Client(node.port(), anon);
        single(client, database.jdbi());
        batch(client, database.jdbi(), 1_000, true);
        batch(client, database.jdbi(), 5_000, false);
      }
      claims(database.jdbi(), 10_000, pgbench);
      claims(database.jdbi(), 1_000_000, pgbench);
      say("load average (1 min) at end: " + MachineInfo.loadAverage());
    }
  }

  private static String job(int i) {
    return "{\"job_type\": \"generation\", \"priority\": \"" + (i % 3 == 0 ? "HIGH" : i % 3 == 1 ? "NORMAL" : "LOW")
        + "\", \"payload\": {\"pageType\": \"" + (new String[] {"product", "category", "landing", "blog"})[i % 4]
        + "\", \"targetUrl\": \"https://shop.example.com/p/item-" + i + "\", \"keywords\": [\"garden item " + i
        + "\", \"balcony plants\"]}}";
  }

  private static void single(Client client, Jdbi jdbi) {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < SINGLE_JOBS; i++) {
      String id = client.post("/api/v1/jobs", job(i)).replaceAll(".*\"job_id\":\"([0-9a-f-]{36})\".*", "$1");
      UUID job = UUID.fromString(id);
      while (!"completed".equals(jdbi.withHandle(h -> h.createQuery("select status from jobs where id = :id")
          .bind("id", job).mapTo(String.class).one()))) {
        sleep(2);
      }
      millis.add(jdbi.withHandle(h -> h.createQuery(
              "select extract(epoch from last_completed_at - created_at) * 1000 from jobs where id = :id")
          .bind("id", job).mapTo(Double.class).one()));
    }
    Collections.sort(millis);
    say(String.format("single generation (offline writer, one job at a time, %d jobs): p50 %.1f ms, p99 %.1f ms, max %.1f ms"
        + " (seed floor < 30 s; aim < 1 s)", SINGLE_JOBS, at(millis, 0.5), at(millis, 0.99), millis.get(millis.size() - 1)));
  }

  private static void batch(Client client, Jdbi jdbi, int size, boolean waitForEnd) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      body.append(i == 0 ? "" : ",").append(job(i));
    }
    body.append(']');
    long start = System.nanoTime();
    String answer = client.post("/api/v1/batches", body.toString());
    double acceptMillis = (System.nanoTime() - start) / 1e6;
    Matcher id = BATCH_ID.matcher(answer);
    if (!id.find()) {
      throw new IllegalStateException("the batch was refused: " + answer);
    }
    UUID batch = UUID.fromString(id.group(1));
    if (!waitForEnd) {
      say(String.format("batch of %,d generation jobs: accepted in %.0f ms (POST /api/v1/batches, JSON, %,d bytes)",
          size, acceptMillis, body.length()));
      return;
    }
    while (jdbi.withHandle(h -> h.createQuery("select finished_at is null from generation_batches where id = :id")
        .bind("id", batch).mapTo(Boolean.class).one())) {
      sleep(20);
    }
    double finishSeconds = jdbi.withHandle(h -> h.createQuery(
            "select extract(epoch from finished_at - created_at) from generation_batches where id = :id")
        .bind("id", batch).mapTo(Double.class).one());
    say(String.format("batch of %,d generation jobs: accepted in %.0f ms, finished %.1f s after it was stored"
        + " (%.0f jobs/s, %.0f stage completions/s)", size, acceptMillis, finishSeconds, size / finishSeconds,
        size * 7 / finishSeconds));
  }

  /** The aged claim's pick (R__stage_claims.sql) of 10 messages, each in its own rolled-back transaction. */
  private static void claims(Jdbi jdbi, int waiting, Optional<PgBenchResult> pgbench) {
    jdbi.useHandle(h -> {
      h.execute("delete from queue_messages where queue_name = 'bench_aging'");
      h.execute("""
          insert into queue_messages (queue_name, stage, job_id, priority, vt, enqueued_at, message)
          select 'bench_aging', (array['a','b','c'])[1 + g % 3], null, (array[-10, 0, 10])[1 + (g / 3) % 3],
                 case when g % 7 < 2 then now() + interval '1 hour' else now() end,
                 now() - make_interval(secs => (? - g) / 100.0), '{}'::jsonb
            from generate_series(1, ?) g""", waiting, waiting);
      h.execute("analyze queue_messages");
    });
    List<Double> millis = new ArrayList<>();
    long start = System.nanoTime();
    jdbi.useHandle(h -> {
      for (int i = 0; i < CLAIMS; i++) {
        long t = System.nanoTime();
        h.begin();
        h.createQuery(AGED_PICK).mapTo(Long.class).list();
        h.rollback();
        millis.add((System.nanoTime() - t) / 1e6);
      }
    });
    double perSecond = CLAIMS / ((System.nanoTime() - start) / 1e9);
    Collections.sort(millis);
    say(String.format("aged claim pick of 10 at %,d waiting messages (3 stages, 3 priorities, 2/7 delayed), one connection:"
        + " p50 %.2f ms, p99 %.2f ms, %.0f picks/s%s", waiting, at(millis, 0.5), at(millis, 0.99), perSecond,
        pgbench.map(p -> String.format(" (%.2fx pgbench TPS)", perSecond / p.tps())).orElse("")));
    jdbi.useHandle(h -> h.execute("delete from queue_messages where queue_name = 'bench_aging'"));
  }

  private static final String AGED_PICK = """
      select c.msg_id from (
          with recursive levels (p) as (
              (select q.priority from queue_messages q where q.queue_name = 'bench_aging' and q.stage = 'a'
                order by q.priority desc limit 1)
              union all
              select (select q.priority from queue_messages q
                       where q.queue_name = 'bench_aging' and q.stage = 'a' and q.priority < l.p
                       order by q.priority desc limit 1)
                from levels l where l.p is not null)
          select h.msg_id, h.priority + 10 * floor(extract(epoch from now() - h.enqueued_at) / 300) as effective
            from levels l
           cross join lateral (
              select q.msg_id, q.priority, q.enqueued_at from queue_messages q
               where q.queue_name = 'bench_aging' and q.stage = 'a' and q.priority = l.p and q.vt <= now()
               order by q.msg_id limit 10 for update skip locked) h
           where l.p is not null
           order by effective desc, h.msg_id
           limit 10) c""";

  private static double at(List<Double> sorted, double quantile) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
  }

  private static Settings nodeSettings(DatabaseAddress address, String anonKey, PipelineOptions options) {
    return Settings.fromEnvironment(Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_PORT", "0",
        "PLANPERFECT_STAGE_CONCURRENCY", Integer.toString(options.stageConcurrency()),
        "PLANPERFECT_SERVICE_KEY", UUID.randomUUID().toString(),
        "PLANPERFECT_ANON_KEY", anonKey));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }

  /** Loopback HTTP with the anon key. */
  private record Client(int port, String key) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    String post(String path, String body) {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
          throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
