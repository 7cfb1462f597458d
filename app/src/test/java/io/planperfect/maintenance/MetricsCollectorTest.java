package io.planperfect.maintenance;

import static io.planperfect.maintenance.Fixtures.completedRun;
import static io.planperfect.maintenance.Fixtures.delayed;
import static io.planperfect.maintenance.Fixtures.errors;
import static io.planperfect.maintenance.Fixtures.event;
import static io.planperfect.maintenance.Fixtures.inFlight;
import static io.planperfect.maintenance.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metrics job: depth, throughput, latency percentiles and failures per stage, for a known data set. */
class MetricsCollectorTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final MetricsCollector collector = new MetricsCollector(TestDatabase.jdbi(), MaintenanceSettings.defaults());

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private ObjectNode collect() {
    return collector.run(Fixtures.scheduled("content_pipeline_metrics"));
  }

  private static Optional<Map<String, Object>> metric(String name) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select metric_type, metric_value, metric_unit, metadata::text as metadata from metrics_data where metric_name = :name""")
        .bind("name", name).mapToMap().findOne());
  }

  private static double value(String name) {
    return ((Number) metric(name).orElseThrow(() -> new AssertionError("no metric " + name)).get("metric_value")).doubleValue();
  }

  @Test
  void writes_ready_in_flight_and_delayed_depth_for_each_stage() {
    ready("content", "draft", Duration.ofSeconds(30));
    ready("content", "draft", Duration.ofSeconds(90));
    inFlight("content", "draft", Duration.ofMinutes(5));
    for (int i = 0; i < 3; i++) {
      delayed("content", "draft", MINUTE, Duration.ofMinutes(10));
    }

    collect();

    assertThat(value("content.draft.ready")).isEqualTo(2);
    assertThat(value("content.draft.in_flight")).isEqualTo(1);
    assertThat(value("content.draft.delayed")).isEqualTo(3);
    assertThat(value("content.draft.oldest_ready_wait")).isCloseTo(90, offset(5.0));
    assertThat(value("content.research.ready")).isZero();
    assertThat(metric("content.draft.ready")).get().satisfies(m -> {
      assertThat(m).containsEntry("metric_type", MetricsCollector.DEPTH).containsEntry("metric_unit", "messages");
      JsonNode metadata = Json.read((String) m.get("metadata"));
      assertThat(metadata.get("trigger_type").asText()).isEqualTo("scheduled");
      assertThat(metadata.get("queue").asText()).isEqualTo("content");
      assertThat(metadata.get("stage").asText()).isEqualTo("draft");
      assertThat(metadata.get("window_minutes").asInt()).isEqualTo(30);
    });
  }

  @Test
  void writes_throughput_and_run_time_percentiles_of_the_runs_completed_in_the_window() {
    for (int i = 0; i <= 100; i++) {
      completedRun("content", "draft", Duration.ofMillis(i * 10L), Duration.ofMinutes(5));
    }
    for (int i = 0; i < 3; i++) {
      completedRun("content", "draft", Duration.ofSeconds(99), Duration.ofHours(2));
    }

    collect();

    assertThat(value("content.draft.completed")).isEqualTo(101);
    assertThat(value("content.draft.completed_per_minute")).isCloseTo(101 / 30.0, offset(1e-9));
    assertThat(value("content.draft.latency_p50")).isCloseTo(500, offset(0.5));
    assertThat(value("content.draft.latency_p95")).isCloseTo(950, offset(0.5));
    assertThat(value("content.draft.latency_p99")).isCloseTo(990, offset(0.5));
    assertThat(metric("content.draft.latency_p95")).get()
        .satisfies(m -> assertThat(m).containsEntry("metric_type", MetricsCollector.LATENCY).containsEntry("metric_unit", "ms"));
  }

  @Test
  void counts_failed_attempts_retries_and_dead_letters_in_the_window_only() {
    errors("content", "qa", 4, Duration.ofMinutes(3));
    errors("content", "qa", 7, Duration.ofHours(1));
    UUID job = Fixtures.job("content", "failed");
    event(job, "content", "qa", "retry_scheduled", MINUTE);
    event(job, "content", "qa", "retry_scheduled", MINUTE);
    event(job, "content", "qa", "dead_lettered", MINUTE);

    collect();

    assertThat(value("content.qa.errors")).isEqualTo(4);
    assertThat(value("content.qa.retries")).isEqualTo(2);
    assertThat(value("content.qa.dead_lettered")).isEqualTo(1);
    assertThat(value("content.qa.completed")).isZero();
  }

  @Test
  void writes_no_latency_for_a_stage_without_completed_runs_and_no_data_is_not_zero_milliseconds() {
    collect();

    assertThat(metric("content.export.latency_p50")).isEmpty();
    assertThat(value("content.export.completed")).isZero();
  }

  @Test
  void one_run_writes_every_configured_stage_under_one_timestamp() {
    ObjectNode summary = collect();

    long stages = TestDatabase.count("select count(*) from content_stage_config");
    assertThat(summary.get("stages").asLong()).isEqualTo(stages);
    assertThat(TestDatabase.count("select count(distinct metric_name) from metrics_data where metric_name like '%.ready'"))
        .isEqualTo(stages);
    assertThat(TestDatabase.count("select count(distinct timestamp) from metrics_data")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from metrics_data")).isEqualTo(summary.get("metrics").asLong());
  }

  @Test
  void a_stage_with_messages_but_no_configuration_still_gets_its_depth() {
    ready("adhoc", "only", Duration.ofSeconds(5));

    collect();

    assertThat(value("adhoc.only.ready")).isEqualTo(1);
    assertThat(metric("adhoc.only.completed")).isEmpty();
  }
}
