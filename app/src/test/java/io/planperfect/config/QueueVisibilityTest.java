package io.planperfect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Each queue's visibility is its own: <QUEUE>_QUEUE_VISIBILITY, else CONTENT_QUEUE_VISIBILITY as the node's default. */
class QueueVisibilityTest {

  @Test
  void a_queue_without_its_own_setting_uses_the_content_queue_visibility_as_before() {
    Settings settings = Settings.fromEnvironment(Map.of("CONTENT_QUEUE_VISIBILITY", "120", "PAGEPERFECT_QUEUE_VISIBILITY", "30"));

    assertThat(settings.visibility().forQueue("content")).isEqualTo(Duration.ofSeconds(120));
    assertThat(settings.visibility().forQueue("pageperfect")).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.visibility().forQueue("schema")).isEqualTo(Duration.ofSeconds(120));
    assertThat(Settings.fromEnvironment(Map.of()).visibility().forQueue("schema")).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void a_visibility_under_a_second_is_refused_naming_the_variable() {
    assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("SCHEMA_QUEUE_VISIBILITY", "0.5")))
        .hasMessageContaining("SCHEMA_QUEUE_VISIBILITY");
  }

  @Test
  void a_claimed_message_stays_invisible_for_its_own_queues_visibility() throws Exception {
    TestDatabase.clean();
    CountDownLatch release = new CountDownLatch(1);
    PipelineDefinition content = blocking("content", "article", release);
    PipelineDefinition schema = blocking("schema", "schema", release);
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(content, schema)),
        Map.of("CONTENT_QUEUE_VISIBILITY", "120", "SCHEMA_QUEUE_VISIBILITY", "45"))) {
      UUID article = node.intake().submit(new NewJob(content, "article", null, Json.object(), "work", 0));
      UUID markup = node.intake().submit(new NewJob(schema, "schema", null, Json.object(), "work", 0));

      await().atMost(Duration.ofSeconds(10)).until(() ->
          TestDatabase.count("select count(*) from queue_messages where lease is not null") == 2);
      assertThat(TestDatabase.count("select visibility_timeout_seconds from job_stages where job_id = ?", article)).isEqualTo(120);
      assertThat(TestDatabase.count("select visibility_timeout_seconds from job_stages where job_id = ?", markup)).isEqualTo(45);
      assertThat(TestDatabase.count("select round(extract(epoch from vt - now()))::int from queue_messages where job_id = ?", markup))
          .isBetween(30L, 45L);  // why not from 40: the claim may be seconds old on a loaded machine (first beat at 15 s)
      assertThat(TestDatabase.count("select round(extract(epoch from vt - now()))::int from queue_messages where job_id = ?", article))
          .isBetween(100L, 120L);
      release.countDown();
    }
  }

  private static PipelineDefinition blocking(String queue, String jobType, CountDownLatch release) {
    return new PipelineDefinition(queue, queue, List.of(jobType), List.of(new StageDefinition("work", context -> {
      release.await();
      return StageOutcome.completed(Json.object());
    })));
  }
}
