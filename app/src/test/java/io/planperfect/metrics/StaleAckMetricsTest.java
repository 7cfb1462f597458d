package io.planperfect.metrics;

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
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run that outlives its lease (heartbeats off, a three-second visibility) has its result rejected:
 * {@code /metrics} counts it as a stale ack, and the run that took the message over as completed.
 */
class StaleAckMetricsTest {
  /** Counted down by the run that took the message over: the first run ends only then, its lease gone. */
  private final CountDownLatch takenOver = new CountDownLatch(1);
  // why a latch, not a sleep: a sleep just past the lease raced the second claim on a loaded machine, and
  // a lease of one second could lapse again under the second run before its ack (a second stale ack)
  private final PipelineDefinition pipeline = new PipelineDefinition("content", "content", List.of("article"),
      List.of(new StageDefinition("slow", context -> {
        if (context.attempt() == 1) {
          takenOver.await(30, TimeUnit.SECONDS);
        } else {
          takenOver.countDown();
        }
        return StageOutcome.completed(Json.object());
      })));

  private PlanPerfectNode node;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)),
        Map.of("PLANPERFECT_HEARTBEATS", "false", "CONTENT_QUEUE_VISIBILITY", "3"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private PrometheusText scrape() {
    return new PrometheusText(new Http(node.port(), TestNode.SERVICE_KEY).get("/metrics").body());
  }

  @Test
  void a_result_rejected_for_a_lost_lease_counts_as_a_stale_ack() {
    UUID job = node.intake().submit(new NewJob(pipeline, "article", null, Json.object(), "slow", 0));
    await().atMost(Duration.ofSeconds(20)).until(() -> scrape().value("planperfect_stale_acks_total",
        "pipeline", "content", "stage", "slow").orElse(0) > 0);

    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'stale_ack'", job))
        .isEqualTo(1);
    PrometheusText metrics = scrape();
    assertThat(metrics.value("planperfect_stale_acks_total", "pipeline", "content", "stage", "slow")).hasValue(1);
    assertThat(metrics.value("planperfect_stage_runs_total", "stage", "slow", "outcome", "stale_ack")).hasValue(1);
    assertThat(metrics.value("planperfect_stage_runs_total", "stage", "slow", "outcome", "completed")).hasValue(1);
  }
}
