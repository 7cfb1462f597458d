package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.PrometheusText;
import io.planperfect.testing.SseReader;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tick streams ({@code GET /api/v1/ticks/stream}) share one subscription of the change feed, and give
 * it back when the last of them closes: read from the node's own gauges. A heartbeat of one second, so a
 * stream whose client went away is found closed within a second or two.
 */
class ChangeTicksTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("ticked", "ticked", List.of("ticked"), List.of(
      new StageDefinition("only", context -> StageOutcome.completed(Json.object()))));
  private PlanPerfectNode node;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(PIPELINE)), Map.of("PLANPERFECT_SSE_HEARTBEAT_SECONDS", "1"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void tick_streams_share_one_feed_subscription_and_give_it_back_when_the_last_one_closes() {
    assertThat(gauge("planperfect_change_feed_subscribers")).isZero();
    List<SseReader> ticks = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        SseReader reader = SseReader.open(node.port(), "/api/v1/ticks/stream", TestNode.SERVICE_KEY, Map.of());
        ticks.add(reader);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.events().size() == 1);
      }
      assertThat(gauge("planperfect_sse_streams_open")).isEqualTo(3);
      assertThat(gauge("planperfect_change_feed_subscribers")).as("one subscription for three tick streams").isEqualTo(1);

      node.intake().submit(new NewJob(PIPELINE, "ticked", null, Json.object(), "only", 0));
      await().atMost(Duration.ofSeconds(10)).until(() -> ticks.stream().allMatch(r -> r.events().size() > 1));
    } finally {
      ticks.forEach(SseReader::close);
    }

    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("planperfect_sse_streams_open") == 0);
    assertThat(gauge("planperfect_change_feed_subscribers")).as("the feed given back").isZero();
  }

  private double gauge(String name) {
    Http.Response response = new Http(node.port(), TestNode.SERVICE_KEY).get("/metrics");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return new PrometheusText(response.body()).value(name).orElseThrow(() -> new AssertionError("no " + name));
  }
}
