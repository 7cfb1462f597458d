package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries, backoff and dead letters, on a three-stage pipeline whose middle stage misbehaves on purpose. */
class StageRetryTest {
  private final Map<UUID, AtomicInteger> middleRuns = new ConcurrentHashMap<>();
  private volatile StageHandler middle;
  private PlanPerfectNode node;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    StageHandler counting = context -> {
      middleRuns.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
      return middle.run(context);
    };
    PipelineDefinition pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("first", context -> StageOutcome.completed(Json.object().put("first", true))),
        new StageDefinition("middle", counting),
        new StageDefinition("last", context -> StageOutcome.completed(Json.object().put("last", true)))));
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private UUID submit() {
    PipelineDefinition pipeline = new PipelineRegistry(List.of(new PipelineDefinition("content", "content", List.of("article"),
        List.of(new StageDefinition("first", c -> null), new StageDefinition("middle", c -> null),
            new StageDefinition("last", c -> null))))).all().get(0);
    return node.intake().submit(new NewJob(pipeline, "article", null, Json.object().put("title", "t"), "first", 0));
  }

  private String jobStatus(UUID id) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("select status from jobs where id = :id")
        .bind("id", id).mapTo(String.class).one());
  }

  @Test
  void a_stage_that_fails_twice_then_succeeds_completes_on_its_third_attempt() {
    middle = context -> {
      if (context.attempt() <= 2) {
        throw new IllegalStateException("transient failure " + context.attempt());
      }
      return StageOutcome.completed(Json.object().put("middle", context.attempt()));
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(20)).until(() -> jobStatus(job).equals("completed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(3);
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'middle'", job)).isEqualTo(3);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'retry_scheduled'", job)).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'error'", job)).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from dead_letters")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_payloads where job_id = ?", job)).isEqualTo(3);
  }

  @Test
  void a_stage_that_always_fails_ends_in_the_dead_letters_and_the_job_fails() {
    middle = context -> {
      throw new IllegalStateException("always broken");
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(20)).until(() -> jobStatus(job).equals("failed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(3);
    assertThat(TestDatabase.count("select count(*) from content_dead_letters where job_id = ? and stage = 'middle' and attempt_count = 3", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'middle' and status = 'dead_lettered'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'last' and status = 'pending'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from content_stages where job_id = ? and error_message = 'always broken'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ?", job)).isZero();
  }

  @Test
  void a_permanent_failure_goes_to_the_dead_letters_without_a_retry() {
    middle = context -> {
      throw new PermanentStageFailure("input cannot be processed");
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(20)).until(() -> jobStatus(job).equals("failed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and failure_reason like 'Permanent failure%'", job)).isEqualTo(1);
  }
}
