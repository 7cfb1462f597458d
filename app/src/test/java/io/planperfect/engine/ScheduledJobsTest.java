package io.planperfect.engine;

import io.planperfect.pipeline.PipelineRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Promotion of jobs scheduled for later: not before their time, once after it, exactly once across racing promoters. */
class ScheduledJobsTest {
  private static final PipelineRegistry PIPELINES = new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition()));

  private PlanPerfectNode node;
  private ScheduledJobs scheduledJobs;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(PIPELINES);
    scheduledJobs = new ScheduledJobs(TestDatabase.jdbi(), new JobRepository(), PIPELINES, node.intake());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private UUID schedule(Instant at) {
    return schedule(at, 0);
  }

  private UUID schedule(Instant at, int priority) {
    ObjectNode payload = Json.object().put("title", "Later");
    payload.putArray("keywords").add("later");
    Intake.Receipt receipt = node.intake().accept(
        new NewJob(ContentPipeline.definition(), "article", null, payload, "research", priority).withScheduledAt(at));
    assertThat(receipt.status()).isEqualTo(JobStatus.SCHEDULED);
    return receipt.jobId();
  }

  /** Stands in for the passing of time: every scheduled job becomes due. */
  private static void makeAllDue() {
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update jobs set scheduled_at = now() - interval '1 second' where status = 'scheduled'"));
  }

  private static void disableAllStages() {
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false"));
  }

  private static String status(UUID job) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("select status from jobs where id = :id")
        .bind("id", job).mapTo(String.class).one());
  }

  @Test
  void a_job_scheduled_for_later_is_not_promoted_before_its_time() {
    UUID job = schedule(Instant.now().plus(Duration.ofHours(1)));

    assertThat(scheduledJobs.promoteDue()).isZero();

    assertThat(status(job)).isEqualTo("scheduled");
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'promoted'")).isZero();
  }

  @Test
  void a_scheduled_job_is_queued_once_its_time_has_come_and_runs_to_completion() {
    Http anon = new Http(node.port(), TestNode.ANON_KEY);
    Http.Response response = anon.post("/functions/v1/content-intake",
        """
        {"job_type": "article", "scheduled_at": "%s",
         "payload": {"title": "Soon", "keywords": ["soon"], "word_count": 300}}""".formatted(Instant.now().plus(Duration.ofSeconds(2))));
    assertThat(response.json().get("status").asText()).as(response.body()).isEqualTo("scheduled");
    UUID job = UUID.fromString(response.json().get("job_id").asText());

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> scheduledJobs.promoteDue() == 1);

    await().atMost(Duration.ofSeconds(30)).until(() -> status(job).equals("completed"));
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'promoted'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and status = 'completed'", job))
        .isEqualTo(6);
    assertThat(scheduledJobs.promoteDue()).isZero();
  }

  @Test
  void a_promoted_job_gets_the_same_first_message_intake_sends() {
    disableAllStages();
    UUID job = schedule(Instant.now().plus(Duration.ofHours(1)), 7);
    makeAllDue();

    assertThat(scheduledJobs.promoteDue()).isEqualTo(1);

    assertThat(status(job)).isEqualTo("queued");
    assertThat(TestDatabase.count("""
        select count(*) from queue_messages m join jobs j on j.id = m.job_id
         where m.job_id = ? and m.queue_name = 'content' and m.stage = 'research' and m.priority = 7
           and m.message = jsonb_build_object('job_id', j.id, 'stage', 'research', 'payload', j.payload)""", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count(
        "select count(*) from job_stages where job_id = ? and stage = 'research' and status = 'queued'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and first_queued_at is not null", job)).isEqualTo(1);
  }

  @Test
  void promoters_racing_on_several_threads_promote_each_due_job_exactly_once() throws Exception {
    disableAllStages();
    int jobs = 2_000;
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<UUID>> submitted = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        submitted.add(pool.submit(() -> schedule(Instant.now().plus(Duration.ofHours(1)))));
      }
      for (Future<UUID> f : submitted) {
        f.get(60, TimeUnit.SECONDS);
      }
      makeAllDue();

      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> promoters = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        promoters.add(pool.submit(() -> {
          go.await();
          return scheduledJobs.promoteDue();
        }));
      }
      go.countDown();
      int promoted = 0;
      for (Future<Integer> f : promoters) {
        promoted += f.get(120, TimeUnit.SECONDS);
      }

      assertThat(promoted).isEqualTo(jobs);
    } finally {
      pool.shutdownNow();
    }
    assertThat(TestDatabase.count("select count(*) from jobs where status = 'queued'")).isEqualTo(jobs);
    assertThat(TestDatabase.count("select count(distinct job_id) from queue_messages")).isEqualTo(jobs);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isEqualTo(jobs);
    assertThat(TestDatabase.count("select count(distinct job_id) from job_events where event_type = 'promoted'"))
        .isEqualTo(jobs);
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'promoted'")).isEqualTo(jobs);
  }

  @Test
  void a_cancelled_scheduled_job_is_never_promoted() {
    UUID job = schedule(Instant.now().plus(Duration.ofHours(1)));
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);

    Http.Response cancel = service.post("/api/v1/jobs/" + job + "/cancel", "");
    makeAllDue();
    int promoted = scheduledJobs.promoteDue();

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
    assertThat(promoted).isZero();
    assertThat(status(job)).isEqualTo("cancelled");
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and status = 'cancelled'", job))
        .isEqualTo(6);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }
}
