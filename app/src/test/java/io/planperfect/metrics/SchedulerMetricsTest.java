package io.planperfect.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.PrometheusText;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler's runs on this node, by job and outcome, in {@code /metrics}; and the scheduler loop in readiness. */
class SchedulerMetricsTest {
  private PlanPerfectNode node;
  private Http service;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    // why: the seed's schedules could fire during the test; a trigger still runs
    TestDatabase.jdbi().useHandle(h -> h.execute("update scheduler_jobs set enabled = false"));
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        Map.of("PLANPERFECT_SCHEDULER", "true", "PLANPERFECT_SCHEDULER_POLL_MILLIS", "100"));
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private double sweeperRuns() {
    return new PrometheusText(service.get("/metrics").body()).value("planperfect_scheduler_runs_seconds_count",
        "job", "content_pipeline_sweeper", "outcome", "success").orElse(0);
  }

  @Test
  void a_triggered_run_counts_once_under_its_job_and_outcome() {
    assertThat(sweeperRuns()).isZero();
    assertThat(service.post("/functions/v1/scheduler?action=trigger&job=content_pipeline_sweeper", "").status())
        .isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> sweeperRuns() == 1);
  }

  @Test
  void a_node_with_its_scheduler_running_watches_the_scheduler_loop_and_is_ready() {
    Http.Response ready = new Http(node.port(), null).get("/health/ready");
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
    Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("pp-scheduler")).forEach(Thread::interrupt);

    await().atMost(Duration.ofSeconds(10)).until(() -> new Http(node.port(), null).get("/health/ready").status() == 503);
    assertThat(new Http(node.port(), null).get("/health/ready").json().path("failing").path("scheduler").asText())
        .isEqualTo("stopped");
  }
}
