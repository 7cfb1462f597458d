package io.planperfect.maintenance;

import static io.planperfect.maintenance.Fixtures.completedRun;
import static io.planperfect.maintenance.Fixtures.deadLetters;
import static io.planperfect.maintenance.Fixtures.delayed;
import static io.planperfect.maintenance.Fixtures.errors;
import static io.planperfect.maintenance.Fixtures.ready;
import static io.planperfect.maintenance.Fixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor job: each alert type raised once, refreshed while true, resolved when it clears. */
class MonitorTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final Monitor monitor = new Monitor(TestDatabase.jdbi(), MaintenanceSettings.defaults());

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private ObjectNode runScheduled() {
    return monitor.run(Fixtures.scheduled("content_pipeline_monitor"));
  }

  private static List<Map<String, Object>> alerts(String type) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select alert_key, severity, status, message, resolved_at, metadata::text as metadata
              from monitoring_alerts where alert_type = :type order by id""")
        .bind("type", type).mapToMap().list());
  }

  private static JsonNode metadata(Map<String, Object> alert) {
    return Json.read((String) alert.get("metadata"));
  }

  @Test
  void raises_a_dead_letter_alert_once_and_refreshes_it_on_the_next_run_instead_of_duplicating_it() {
    deadLetters("content", 6, Duration.ofMinutes(10));

    ObjectNode first = runScheduled();
    ObjectNode second = monitor.run(Fixtures.manual("content_pipeline_monitor"));

    assertThat(first.get("raised").asInt()).isEqualTo(1);
    assertThat(second.get("raised").asInt()).isZero();
    assertThat(second.get("refreshed").asInt()).isEqualTo(1);
    assertThat(second.get("active").asInt()).isEqualTo(1);
    assertThat(alerts(Monitor.DEAD_LETTERS)).singleElement().satisfies(a -> {
      assertThat(a).containsEntry("alert_key", "content").containsEntry("severity", "warning").containsEntry("status", "active");
      assertThat(metadata(a).get("trigger_type").asText()).isEqualTo("manual");
      assertThat(metadata(a).get("recent_dead_letters").asInt()).isEqualTo(6);
      assertThat(metadata(a).get("refreshes").asInt()).isEqualTo(1);
    });
  }

  @Test
  void resolves_the_dead_letter_alert_once_the_dead_letters_are_resolved() {
    deadLetters("content", 6, Duration.ofMinutes(10));
    runScheduled();
    sql("update dead_letters set resolved_at = now(), resolution = 'replayed'");

    ObjectNode summary = runScheduled();
    runScheduled();

    assertThat(summary.get("resolved").asInt()).isEqualTo(1);
    assertThat(summary.get("active").asInt()).isZero();
    assertThat(alerts(Monitor.DEAD_LETTERS)).singleElement().satisfies(a -> {
      assertThat(a).containsEntry("status", "resolved");
      assertThat(a.get("resolved_at")).isNotNull();
    });
  }

  @Test
  void a_dead_letter_alert_is_critical_when_letters_are_both_arriving_fast_and_piling_up() {
    deadLetters("content", 51, Duration.ofMinutes(5));

    runScheduled();

    assertThat(alerts(Monitor.DEAD_LETTERS)).singleElement().satisfies(a -> assertThat(a).containsEntry("severity", "critical"));
  }

  @Test
  void dead_letters_older_than_the_window_do_not_count_as_growing() {
    deadLetters("content", 6, Duration.ofHours(2));

    runScheduled();

    assertThat(alerts(Monitor.DEAD_LETTERS)).isEmpty();
  }

  @Test
  void raises_an_old_ready_message_alert_and_resolves_it_when_the_message_is_taken() {
    long msg = ready("content", "draft", Duration.ofMinutes(20));
    completedRun("content", "draft", Duration.ofSeconds(1), MINUTE);

    runScheduled();
    List<Map<String, Object>> raised = alerts(Monitor.OLD_READY_MESSAGE);
    sql("delete from queue_messages where msg_id = ?", msg);
    runScheduled();

    assertThat(raised).singleElement().satisfies(a -> {
      assertThat(a).containsEntry("alert_key", "content:draft").containsEntry("severity", "warning").containsEntry("status", "active");
      assertThat(metadata(a).get("oldest_ready_wait_seconds").asLong()).isBetween(1195L, 1210L);
    });
    assertThat(alerts(Monitor.OLD_READY_MESSAGE)).singleElement().satisfies(a -> assertThat(a).containsEntry("status", "resolved"));
  }

  @Test
  void an_old_ready_message_is_critical_beyond_four_times_the_threshold() {
    ready("content", "qa", Duration.ofMinutes(61));

    runScheduled();

    assertThat(alerts(Monitor.OLD_READY_MESSAGE)).singleElement().satisfies(a -> assertThat(a).containsEntry("severity", "critical"));
  }

  @Test
  void a_message_that_became_visible_recently_is_not_old_however_long_ago_it_was_enqueued() {
    delayed("content", "draft", Duration.ofHours(3), MINUTE.negated());

    runScheduled();

    assertThat(alerts(Monitor.OLD_READY_MESSAGE)).isEmpty();
    assertThat(alerts(Monitor.STALLED_STAGE)).isEmpty();
  }

  @Test
  void raises_a_failure_rate_alert_over_the_threshold_and_resolves_it_when_the_rate_falls() {
    for (int i = 0; i < 8; i++) {
      completedRun("content", "research", Duration.ofSeconds(2), Duration.ofMinutes(10));
    }
    errors("content", "research", 4, Duration.ofMinutes(10));

    runScheduled();
    List<Map<String, Object>> raised = alerts(Monitor.FAILURE_RATE);
    for (int i = 0; i < 20; i++) {
      completedRun("content", "research", Duration.ofSeconds(2), MINUTE);
    }
    runScheduled();

    assertThat(raised).singleElement().satisfies(a -> {
      assertThat(a).containsEntry("alert_key", "content:research").containsEntry("severity", "warning");
      assertThat(metadata(a).get("failure_rate_percent").asDouble()).isCloseTo(33.33, offset(0.01));
    });
    assertThat(alerts(Monitor.FAILURE_RATE)).singleElement().satisfies(a -> assertThat(a).containsEntry("status", "resolved"));
  }

  @Test
  void a_failure_rate_of_twice_the_threshold_is_critical() {
    for (int i = 0; i < 5; i++) {
      completedRun("content", "research", Duration.ofSeconds(2), Duration.ofMinutes(10));
    }
    errors("content", "research", 5, Duration.ofMinutes(10));

    runScheduled();

    assertThat(alerts(Monitor.FAILURE_RATE)).singleElement().satisfies(a -> assertThat(a).containsEntry("severity", "critical"));
  }

  @Test
  void ignores_a_failure_rate_measured_on_fewer_attempts_than_the_minimum_sample() {
    completedRun("content", "research", Duration.ofSeconds(2), Duration.ofMinutes(10));
    errors("content", "research", 8, Duration.ofMinutes(10));

    runScheduled();

    assertThat(alerts(Monitor.FAILURE_RATE)).isEmpty();
  }

  @Test
  void failures_before_the_window_do_not_count() {
    errors("content", "research", 30, Duration.ofHours(2));
    completedRun("content", "research", Duration.ofSeconds(2), Duration.ofMinutes(10));

    runScheduled();

    assertThat(alerts(Monitor.FAILURE_RATE)).isEmpty();
  }

  @Test
  void raises_a_stalled_stage_alert_when_ready_work_waits_and_nothing_completes_in_the_window() {
    ready("content", "outline", Duration.ofMinutes(20));
    completedRun("content", "outline", Duration.ofSeconds(2), Duration.ofHours(2));

    runScheduled();

    assertThat(alerts(Monitor.STALLED_STAGE)).singleElement().satisfies(a -> {
      assertThat(a).containsEntry("alert_key", "content:outline").containsEntry("severity", "critical").containsEntry("status", "active");
      assertThat((String) a.get("message")).contains("completed nothing in the last 60 minutes");
    });
  }

  @Test
  void resolves_the_stalled_stage_alert_once_the_stage_completes_a_run() {
    ready("content", "outline", Duration.ofMinutes(20));
    runScheduled();
    completedRun("content", "outline", Duration.ofSeconds(2), MINUTE);

    ObjectNode summary = runScheduled();

    assertThat(alerts(Monitor.STALLED_STAGE)).singleElement().satisfies(a -> assertThat(a).containsEntry("status", "resolved"));
    assertThat(summary.get("resolved").asInt()).isEqualTo(1);
    assertThat(alerts(Monitor.OLD_READY_MESSAGE)).singleElement().satisfies(a -> assertThat(a).containsEntry("status", "active"));
  }

  @Test
  void a_backlog_that_just_arrived_at_an_idle_stage_is_not_stalled() {
    ready("content", "outline", Duration.ofMinutes(2));

    ObjectNode summary = runScheduled();

    assertThat(summary.get("active").asInt()).isZero();
  }

  @Test
  void a_paused_stage_is_not_called_stalled_but_its_old_message_is_reported() {
    sql("update content_stage_config set enabled = false where queue = 'content' and stage = 'export'");
    ready("content", "export", Duration.ofMinutes(20));

    runScheduled();

    assertThat(alerts(Monitor.STALLED_STAGE)).isEmpty();
    assertThat(alerts(Monitor.OLD_READY_MESSAGE)).singleElement()
        .satisfies(a -> assertThat((String) a.get("message")).contains("paused"));
  }
}
