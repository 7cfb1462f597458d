package io.planperfect.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /health/live} and {@code /health/ready} on a real node: ready only while every part is up and it is not draining. */
class ReadinessTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(new StageDefinition("only", context -> StageOutcome.completed(Json.object()))));

  private PlanPerfectNode node;
  private Http anonymous;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(PIPELINE)));
    anonymous = new Http(node.port(), null);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void a_started_node_is_live_and_ready_with_no_failing_part() {
    assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
    Http.Response ready = anonymous.get("/health/ready");
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
    assertThat(ready.json().path("status").asText()).isEqualTo("ready");
    assertThat(ready.json().path("failing").size()).isZero();
  }

  @Test
  void a_part_that_has_not_started_keeps_the_node_unready_until_it_marks_itself_ready() {
    node.readiness().expect("late-part");

    Http.Response before = anonymous.get("/health/ready");
    assertThat(before.status()).isEqualTo(503);
    assertThat(before.json().path("status").asText()).isEqualTo("not_ready");
    assertThat(before.json().path("failing").path("late-part").asText()).isEqualTo("not started");

    node.readiness().markReady("late-part");
    assertThat(anonymous.get("/health/ready").status()).isEqualTo(200);
  }

  @Test
  void a_stopped_claim_loop_makes_the_node_unready_naming_the_loop() {
    Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("pp-claim"))
        .forEach(Thread::interrupt);

    await().atMost(Duration.ofSeconds(10)).until(() -> anonymous.get("/health/ready").status() == 503);
    JsonNode failing = anonymous.get("/health/ready").json().path("failing");
    assertThat(failing.path("claim-loops").asText()).contains("content:only");
    assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void a_draining_node_is_unready_while_it_still_answers() {
    node.drain();

    Http.Response ready = anonymous.get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().path("status").asText()).isEqualTo("draining");
    assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
    assertThat(anonymous.get("/health").status()).isEqualTo(200);
  }
}
