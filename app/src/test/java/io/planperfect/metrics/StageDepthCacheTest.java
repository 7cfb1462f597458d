package io.planperfect.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.dispatch.StageLimits;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.PrometheusText;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import io.planperfect.worker.StageFilter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database's gauges are read once per window, not once per scrape: a job sent between two
 * scrapes in the same window is not seen by the second, and is seen once the window has passed.
 */
class StageDepthCacheTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(new StageDefinition("only", context -> StageOutcome.completed(Json.object()))));

  private PlanPerfectNode node;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    // why no stage runs here: the job's message must stay ready for the gauge to show it
    node = PlanPerfectNode.start(TestNode.settings(), new PipelineRegistry(List.of(PIPELINE)),
        new NodeOptions(new StageFilter(Set.of("no-such-queue"), Set.of()), true, StageLimits.none()));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private double ready() {
    String body = new Http(node.port(), TestNode.SERVICE_KEY).get("/metrics").body();
    return new PrometheusText(body).value("planperfect_stage_messages", "pipeline", "content", "stage", "only",
        "state", "ready").orElseThrow();
  }

  @Test
  void two_scrapes_within_the_cache_window_read_the_same_depth_and_a_later_one_reads_it_anew() {
    assertThat(ready()).isZero();
    node.intake().submit(new NewJob(PIPELINE, "article", null, Json.object(), "only", 0));
    assertThat(TestDatabase.count("select count(*) from queue_messages where stage = 'only'")).isEqualTo(1);

    assertThat(ready()).as("within the window").isZero();

    await().atMost(StageDepthGauges.TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> ready() == 1);
  }
}
