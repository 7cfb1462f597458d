package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.engine.Pipelines;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * R4: PostgreSQL crashes (pg_ctl stop -m immediate) three times while jobs are submitted and
 * worked. While it is down intake answers 503, never 500; when it is back the node resumes by
 * itself; every acknowledged job completes, and no stage result is applied twice.
 */
class DatabaseCrashTest {
  private static final int CRASHES = 3;

  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final AtomicBoolean submitting = new AtomicBoolean(true);

  @Test
  void postgres_crashing_three_times_loses_no_acknowledged_job_and_intake_never_answers_500() throws Exception {
    try (CrashablePostgres postgres = CrashablePostgres.create()) {
      DatabaseAddress db = postgres.address();
      Settings settings = Settings.fromEnvironment(Map.of(
              "PLANPERFECT_POLL_MILLIS", "200",
              "CONTENT_QUEUE_VISIBILITY", "3",
              "CONTENT_STAGE_RETRY_DELAY_SECONDS", "0.05",
              "CONTENT_STAGE_MAX_ATTEMPTS", "10",
              "PLANPERFECT_SHUTDOWN_GRACE_SECONDS", "2"))
          .withDatabase(db.jdbcUrl(), db.user(), db.password())
          .withDataDir(Files.createTempDirectory("pp-crash-node"))
          .withListen("127.0.0.1", 0)
          .withKeys(TestNode.SERVICE_KEY, TestNode.ANON_KEY);
      try (PlanPerfectNode node = PlanPerfectNode.start(settings, new Pipelines(List.of(ContentPipeline.definition())))) {
        Thread client = new Thread(() -> submitUntilStopped(new Http(node.port(), TestNode.ANON_KEY)), "crash-client");
        client.start();
        for (int crash = 0; crash < CRASHES; crash++) {
          Thread.sleep(3_000);
          postgres.crash();
          Thread.sleep(3_000);
          postgres.start();
        }
        Thread.sleep(2_000);
        submitting.set(false);
        client.join();

        Jdbi jdbi = Jdbi.create(db.jdbcUrl(), db.user(), db.password());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
            count(jdbi, "select count(*) from jobs where status = 'completed' and id::text = any(:ids)") == acknowledged.size());

        System.out.printf("FAULTS R4 postgres crashes: %d crashes, %d acknowledged jobs all completed, intake answers %s%n",
            CRASHES, acknowledged.size(), statuses);
        assertThat(statuses.getOrDefault(500, new AtomicInteger()).get()).as("answers 500").isZero();
        assertThat(statuses.getOrDefault(503, new AtomicInteger()).get()).as("answers 503 while down").isPositive();
        assertThat(acknowledged).hasSizeGreaterThan(20);
        assertThat(count(jdbi, """
            select count(*) from (select job_id, stage from job_events where event_type = 'completed'
                                  group by job_id, stage having count(*) > 1) d""")).as("duplicate results").isZero();
        assertThat(count(jdbi, """
            select count(*) from (select job_id, stage from queue_archive group by job_id, stage having count(*) > 1) d"""))
            .as("duplicate enqueues").isZero();
        assertThat(count(jdbi, """
            select count(*) from jobs j where j.status in ('queued', 'processing')
               and not exists (select 1 from queue_messages m where m.job_id = j.id)""")).as("orphans").isZero();
      }
    }
  }

  private void submitUntilStopped(Http http) {
    int n = 0;
    while (submitting.get()) {
      try {
        Http.Response response = http.post("/functions/v1/content-intake", """
            {"job_type": "article", "payload": {"title": "Crash %d", "keywords": ["crash"], "word_count": 150}}"""
            .formatted(n++));
        statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
        if (response.status() == 201) {
          acknowledged.add(response.json().get("job_id").asText());
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
      }
    }
  }

  private long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> {
      var query = h.createQuery(sql);
      if (sql.contains(":ids")) {
        query.bind("ids", acknowledged.toArray(String[]::new));
      }
      return query.mapTo(Long.class).one();
    });
  }
}
