package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stages a job passes over by its payload (seed 002's skipSteps, seed 004's skipQualityCheck):
 * decided when the job reaches them, marked skipped with an event, counted by progress, never run.
 */
class SkipStagesTest {
  private final Map<String, Set<UUID>> ran = new ConcurrentHashMap<>();
  private PlanPerfectNode node;
  private final PipelineDefinition pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
      stage("fetch"), stage("check").skippedWhen(payload -> payload.path("skipQualityCheck").asBoolean()),
      stage("polish").skippedWhen(inSkipSteps("polish")), stage("store").skippedWhen(inSkipSteps("store"))));

  /** Seed 002's form: {@code "skipSteps": ["polish", ...]}. */
  private static io.planperfect.pipeline.StageSkip inSkipSteps(String stage) {
    return payload -> {
      for (JsonNode step : payload.path("skipSteps")) {
        if (step.asText().equals(stage)) {
          return true;
        }
      }
      return false;
    };
  }

  private StageDefinition stage(String name) {
    return new StageDefinition(name, context -> {
      ran.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(context.jobId());
      return StageOutcome.completed(Json.object().put(name, true));
    });
  }

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private UUID submitAndFinish(String payloadJson, String initialStage) {
    UUID job = node.intake().submit(new NewJob(pipeline, "article", null, (ObjectNode) Json.read(payloadJson), initialStage, 0));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    return job;
  }

  private List<String> statuses(UUID job) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select stage || '=' || status from job_stages where job_id = :id order by position")
        .bind("id", job).mapTo(String.class).list());
  }

  private List<String> skippedEvents(UUID job) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select stage from job_events where job_id = :id and event_type = 'skipped' order by seq")
        .bind("id", job).mapTo(String.class).list());
  }

  private boolean ran(String stage, UUID job) {
    return ran.getOrDefault(stage, Set.of()).contains(job);
  }

  @Test
  void a_stage_whose_predicate_holds_for_the_payload_is_skipped_with_an_event_and_never_run() {
    UUID job = submitAndFinish("{\"title\":\"t\",\"skipQualityCheck\":true}", "fetch");

    assertThat(statuses(job)).containsExactly("fetch=completed", "check=skipped", "polish=completed", "store=completed");
    assertThat(skippedEvents(job)).containsExactly("check");
    assertThat(ran("check", job)).isFalse();
    assertThat(ran("polish", job)).isTrue();
    assertThat(TestDatabase.count("select count(*) from job_payloads where job_id = ? and stage = 'check'", job)).isZero();
  }

  @Test
  void a_job_that_does_not_ask_for_the_skip_runs_every_stage() {
    UUID job = submitAndFinish("{\"title\":\"t\",\"skipQualityCheck\":false}", "fetch");

    assertThat(statuses(job)).containsOnly("fetch=completed", "check=completed", "polish=completed", "store=completed");
    assertThat(skippedEvents(job)).isEmpty();
  }

  @Test
  void skipped_stages_count_as_done_in_the_jobs_progress() {
    UUID job = submitAndFinish("{\"title\":\"t\",\"skipQualityCheck\":true}", "fetch");

    JsonNode progress = new JobReads(TestDatabase.jdbi()).job(job).orElseThrow().get("progress");
    assertThat(progress.get("stages_total").asInt()).isEqualTo(4);
    assertThat(progress.get("stages_completed").asInt()).isEqualTo(3);
    assertThat(progress.get("stages_skipped").asInt()).isEqualTo(1);
    assertThat(progress.get("percent").asInt()).isEqualTo(100);
  }

  @Test
  void an_initial_stage_is_one_use_of_skipping_the_stages_before_it_are_skipped_with_events() {
    UUID job = submitAndFinish("{\"title\":\"t\"}", "polish");

    assertThat(statuses(job)).containsExactly("fetch=skipped", "check=skipped", "polish=completed", "store=completed");
    assertThat(skippedEvents(job)).containsExactly("fetch", "check");
    assertThat(ran("fetch", job)).isFalse();
  }

  @Test
  void when_the_first_stages_predicate_holds_at_intake_the_job_starts_at_the_next_one() {
    UUID job = submitAndFinish("{\"title\":\"t\",\"skipQualityCheck\":true}", "check");

    assertThat(statuses(job)).containsExactly("fetch=skipped", "check=skipped", "polish=completed", "store=completed");
    assertThat(ran("check", job)).isFalse();
  }

  @Test
  void when_every_later_stage_is_skipped_the_job_completes_after_the_stage_that_ran() {
    UUID job = submitAndFinish("{\"title\":\"t\",\"skipSteps\":[\"polish\",\"store\"]}", "fetch");

    assertThat(statuses(job)).containsExactly("fetch=completed", "check=completed", "polish=skipped", "store=skipped");
    assertThat(skippedEvents(job)).containsExactly("polish", "store");
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'job_completed'", job))
        .isEqualTo(1);
  }

  @Test
  void a_skip_between_two_stages_that_run_is_marked_in_the_same_commit_as_the_next_stage_is_queued() {
    UUID job = submitAndFinish("{\"title\":\"t\",\"skipSteps\":[\"polish\"]}", "fetch");

    assertThat(statuses(job)).containsExactly("fetch=completed", "check=completed", "polish=skipped", "store=completed");
    List<String> trail = TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select coalesce(stage, '') || ':' || event_type from job_events where job_id = :id and event_type <> 'processing' order by seq")
        .bind("id", job).mapTo(String.class).list());
    assertThat(trail).containsSubsequence("check:completed", "polish:skipped", "store:queued", "store:completed");
  }
}
