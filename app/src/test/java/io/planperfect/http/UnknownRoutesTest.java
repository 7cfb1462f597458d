package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A path no route serves answers 404 JSON, a served path called with another method 405 JSON. */
class UnknownRoutesTest {
  private static PlanPerfectNode node;
  private static Probe probe;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
    probe = new Probe(node.port());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/nothing-here", "/api/v1/jobs/x/y/z", "/api/v2/jobs", "/functions/v1/nope",
      "/rest/v1/nope", "/health/nope"})
  void an_unknown_path_answers_404_json_with_or_without_a_key(String path) {
    for (Map<String, String> headers : List.of(Map.<String, String>of(), RoutePaths.bearer(TestNode.SERVICE_KEY))) {
      Probe.Answer answer = probe.send("GET", path, headers, (String) null);

      assertThat(answer.status()).as(path + " " + answer).isEqualTo(404);
      assertThat(answer.isJson()).as(answer.toString()).isTrue();
      assertThat(answer.json().path("error").asText()).isEqualTo("not_found");
      assertThat(answer.json().path("message").asText()).isNotBlank();
    }
  }

  @Test
  void every_api_path_called_with_a_method_it_does_not_take_answers_405_json() {
    List<String> served = node.served();
    int checked = 0;
    for (Route route : node.routes()) {
      String method = RoutePaths.unservedMethod(route.path(), served);
      if (method == null) {
        continue;
      }
      Probe.Answer answer = probe.send(method, RoutePaths.plausible(route.path()), RoutePaths.bearer(TestNode.SERVICE_KEY), "{}");

      assertThat(answer.status()).as(method + " " + route.path() + " " + answer).isEqualTo(405);
      assertThat(answer.isJson()).as(answer.toString()).isTrue();
      assertThat(answer.json().path("error").asText()).isEqualTo("method_not_allowed");
      checked++;
    }
    assertThat(checked).isGreaterThan(20);
  }
}
