package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim begins attempts while it holds message locks, so it must never wait for a job row:
 * cancel locks the job row first and then deletes the job's messages. These tests race cancels
 * against claims and transitions and count the server's deadlocks.
 */
class JobLockOrderTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(stage("a"), stage("b"), stage("c"), stage("d")));

  private PlanPerfectNode node;

  private static StageDefinition stage(String name) {
    return new StageDefinition(name, context -> {
      // why: a run of 0–2 ms lets cancels land before, during and after claims and transitions.
      Thread.sleep(ThreadLocalRandom.current().nextInt(3));
      return StageOutcome.completed(Json.object().put(name, true));
    });
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void cancels_racing_claims_and_transitions_never_deadlock_and_nothing_of_a_job_runs_after_its_cancel() throws Exception {
    // why settled too: a deadlock of an earlier test (or of the clean before this one) reported late would count as this test's
    long deadlocksBefore = deadlocksAfterStatsSettle();
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set max_concurrency = 50"));
    node = TestNode.start(new PipelineRegistry(List.of(PIPELINE)), Map.of("PLANPERFECT_STAGE_CONCURRENCY", "8"));
    JobCancellation cancellation = new JobCancellation(TestDatabase.jdbi(), new JobRepository(), new MessageQueue(TestDatabase.jdbi()),
        JobChangeSignal.NONE);
    List<UUID> submitted = new CopyOnWriteArrayList<>();
    Queue<Throwable> cancelErrors = new ConcurrentLinkedQueue<>();
    AtomicBoolean submitting = new AtomicBoolean(true);

    ExecutorService cancellers = Executors.newFixedThreadPool(3);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      running.add(cancellers.submit(() -> cancelRecentJobs(cancellation, submitted, submitting, cancelErrors)));
    }
    for (int i = 0; i < 600; i++) {
      submitted.add(node.intake().submit(new NewJob(PIPELINE, "article", null, Json.object().put("title", "race " + i), "a", 0)));
    }
    submitting.set(false);
    for (Future<?> future : running) {
      future.get();
    }
    cancellers.shutdown();

    await().atMost(Duration.ofSeconds(60)).until(() ->
        TestDatabase.count("select count(*) from jobs where status in ('queued', 'processing')") == 0);
    node.close();
    node = null;

    assertThat(cancelErrors).isEmpty();
    assertThat(deadlocksAfterStatsSettle()).isEqualTo(deadlocksBefore);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
    assertThat(TestDatabase.count("""
        select count(*) from jobs j where j.status = 'completed'
           and exists (select 1 from job_stages s where s.job_id = j.id and s.status <> 'completed')""")).isZero();
    assertThat(TestDatabase.count("""
        select count(*) from job_stages s join jobs j on j.id = s.job_id
         where j.status = 'cancelled' and s.status not in ('completed', 'cancelled')""")).isZero();
    assertThat(TestDatabase.count("""
        select count(*) from (select job_id, stage from job_events where event_type = 'completed'
                               group by job_id, stage having count(*) > 1) twice""")).isZero();
    assertThat(TestDatabase.count("""
        select count(*) from job_events e
          join job_events c on c.job_id = e.job_id and c.event_type = 'cancelled'
         where e.event_type in ('processing', 'completed', 'queued', 'job_completed') and e.created_at > c.created_at""")).isZero();
    // The race was real: jobs were cancelled between stages and mid-stage, and others completed.
    assertThat(TestDatabase.count("""
        select count(*) from jobs j where j.status = 'cancelled'
           and exists (select 1 from job_stages s where s.job_id = j.id and s.status = 'completed')""")).isPositive();
    assertThat(TestDatabase.count("select count(*) from jobs where status = 'completed'")).isPositive();
  }

  @Test
  void a_claim_passes_over_a_message_whose_job_row_is_held_and_takes_it_once_released() {
    node = TestNode.start(new PipelineRegistry(List.of(PIPELINE)));
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where stage = 'a'"));
    UUID job = node.intake().submit(new NewJob(PIPELINE, "article", null, Json.object().put("title", "held"), "a", 0));
    node.close();
    node = null;
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = true where stage = 'a'"));
    Settings settings = TestNode.settings();
    StageClaims claims = new StageClaims(TestDatabase.jdbi(), new PipelineRegistry(List.of(PIPELINE)),
        RetryPolicy.of(settings.maxAttempts(), settings.retryBaseDelay(), settings.retryMaxDelay()), JobChangeSignal.NONE);

    try (Handle holder = TestDatabase.jdbi().open()) {
      holder.begin();
      holder.createQuery("select 1 from jobs where id = :id for update").bind("id", job).mapTo(Integer.class).one();
      StageClaims.Claimed whileHeld = assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> claims.claim("content", "a", Duration.ofSeconds(30), 5, null, false));
      assertThat(whileHeld.size()).isZero();
      holder.rollback();
    }

    StageClaims.Claimed afterwards = claims.claim("content", "a", Duration.ofSeconds(30), 5, null, false);
    assertThat(afterwards.attempts()).singleElement().satisfies(attempt -> {
      assertThat(attempt.jobId()).isEqualTo(job);
      assertThat(attempt.attempt()).isEqualTo(1);
    });
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'processing'", job)).isEqualTo(1);
  }

  /** Cancels one of the 50 latest jobs, again and again, while jobs are being submitted. */
  private static void cancelRecentJobs(JobCancellation cancellation, List<UUID> submitted, AtomicBoolean submitting,
      Queue<Throwable> errors) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (submitting.get()) {
      int size = submitted.size();
      if (size > 0 && random.nextInt(3) == 0) {
        try {
          cancellation.cancel(submitted.get(size - 1 - random.nextInt(Math.min(size, 50))));
        } catch (RuntimeException e) {
          errors.add(e);
        }
      }
      try {
        Thread.sleep(random.nextInt(3));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long deadlocks() {
    return TestDatabase.count("select deadlocks from pg_stat_database where datname = current_database()");
  }

  /** The deadlock counter once the servers' backends have reported (they report within about a second). */
  private static long deadlocksAfterStatsSettle() throws InterruptedException {
    // why: no condition to wait on: a deadlock not yet reported looks like none
    Thread.sleep(1_500);
    TestDatabase.jdbi().useHandle(h -> h.execute("select pg_stat_clear_snapshot()"));
    return deadlocks();
  }
}
