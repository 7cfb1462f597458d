package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /health} says the node is starting (503) while it listens with no loop running, and ok once they run. */
class HealthReadinessTest {
  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void health_is_503_starting_while_the_loops_have_not_started_and_200_ok_after() {
    try (PlanPerfectNode node = PlanPerfectNode.open(TestNode.settings(),
        new PipelineRegistry(List.of(ContentPipeline.definition())), NodeOptions.serve(Map.of()))) {
      Http http = new Http(node.port(), null);
      Http.Response before = http.get("/health");

      node.startLoops();
      Http.Response after = http.get("/health");

      assertThat(before.status()).isEqualTo(503);
      assertThat(before.json().get("status").asText()).isEqualTo("starting");
      assertThat(before.json().get("database").asText()).isEqualTo("up");
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.json().get("status").asText()).isEqualTo("ok");
    }
  }
}
