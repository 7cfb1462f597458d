package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.RetrySettings;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.queue.QueueMessage;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stage that answers RetryLater runs again after the delay, counts no attempt, and cannot wait forever. */
class RetryLaterTest {
  private final AtomicInteger runs = new AtomicInteger();
  private volatile StageHandler waiting;
  private PlanPerfectNode node;

  private PipelineDefinition pipeline(Duration maxWait) {
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("first", context -> StageOutcome.completed(Json.object().put("first", true))),
        new StageDefinition("wait", context -> {
          runs.incrementAndGet();
          return waiting.run(context);
        }).withMaxWait(maxWait),
        new StageDefinition("last", context -> StageOutcome.completed(Json.object().put("last", true)))))
        .withRetry(new RetrySettings(1, 0));
  }

  private UUID submit(PipelineDefinition pipeline) {
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
    return node.intake().submit(new NewJob(pipeline, "article", null, Json.object().put("title", "t"), "first", 0));
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
  void a_stage_that_asks_to_run_later_runs_again_without_using_an_attempt_and_then_completes() {
    waiting = context -> runs.get() < 3
        ? StageOutcome.retryLater(Duration.ofSeconds(1), "crawl still running")
        : StageOutcome.completed(Json.object().put("crawled", true));

    UUID job = submit(pipeline(Duration.ofMinutes(5)));

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    assertThat(runs.get()).isEqualTo(3);
    // max_attempts is 1: two waits that counted attempts would have dead-lettered the job
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'wait'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'waiting'", job)).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'waiting'"
        + " and message = 'crawl still running' and (metadata ->> 'delay_ms')::int = 1000", job)).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'error'", job)).isZero();
    assertThat(TestDatabase.count("select count(*) from stage_slots where lease is not null")).isZero();
  }

  @Test
  void the_message_stays_invisible_for_the_delay_it_asked_for() {
    waiting = context -> runs.get() < 2
        ? StageOutcome.retryLater(Duration.ofSeconds(30), "not yet")
        : StageOutcome.completed(Json.object());

    UUID job = submit(pipeline(Duration.ofMinutes(5)));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'waiting'", job) == 1);
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ? and stage = 'wait'"
        + " and vt > now() + interval '25 seconds' and lease is null", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'wait' and status = 'queued'"
        + " and next_retry_at > now() + interval '25 seconds'", job)).isEqualTo(1);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void a_stage_that_keeps_waiting_past_its_maximum_fails_the_attempt_and_is_dead_lettered() {
    waiting = context -> StageOutcome.retryLater(Duration.ofSeconds(1), "never ready");

    UUID job = submit(pipeline(Duration.ofSeconds(3)));

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'failed'", job) == 1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'error'"
        + " and message like '%waited longer than its maximum%'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and stage = 'wait'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'waiting'", job))
        .isBetween(1L, 3L);
  }

  @Test
  void a_wait_whose_lease_was_lost_applies_nothing() {
    waiting = context -> StageOutcome.completed(Json.object());
    PipelineDefinition definition = pipeline(Duration.ofMinutes(5));
    UUID job = WaitingJobs.submit(definition, 1).get(0);
    try (EngineParts parts = new EngineParts(definition)) {
      StageAttempt attempt = parts.claimOne("first");
      QueueMessage held = attempt.message();
      QueueMessage stolen = new QueueMessage(held.msgId(), held.queue(), held.stage(), held.jobId(), held.priority(),
          held.readCount(), held.enqueuedAt(), held.visibleAt(), UUID.randomUUID(), held.message());
      StageAttempt stale = new StageAttempt(stolen, definition, attempt.jobType(), attempt.attempt(), attempt.maxAttempts(),
          attempt.priority(), attempt.retryDelay(), attempt.jobPayload(), attempt.previousResults());
      StageTransitions transitions = parts.transitions(NextStageRunners.NONE);

      assertThatThrownBy(() -> transitions.waitLater(stale, new StageOutcome.RetryLater(Duration.ofSeconds(5), "x")))
          .isInstanceOf(StaleLeaseException.class);
    }
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'waiting'", job)).isZero();
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'first'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ? and lease is not null", job)).isEqualTo(1);
  }

  @Test
  void a_delay_under_a_second_is_taken_as_one_second() {
    waiting = context -> runs.get() < 2
        ? StageOutcome.retryLater(Duration.ZERO, "at once, please")
        : StageOutcome.completed(Json.object());

    UUID job = submit(pipeline(Duration.ofMinutes(5)));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'waiting'", job) == 1);
    assertThat(TestDatabase.count("select (metadata ->> 'delay_ms')::int from job_events where job_id = ? and event_type = 'waiting'",
        job)).isEqualTo(1000);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    assertThat(runs.get()).isEqualTo(2);
  }
}
