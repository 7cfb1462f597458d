package io.planperfect.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.config.MaintenanceSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Maintenance settings: defaults, values from the environment, and errors that name the variable. */
class MaintenanceSettingsTest {

  @Test
  void defaults_match_the_documented_values() {
    MaintenanceSettings s = MaintenanceSettings.defaults();

    assertThat(s.monitorWindow()).isEqualTo(Duration.ofMinutes(60));
    assertThat(s.deadLettersMax()).isEqualTo(5);
    assertThat(s.openDeadLettersMax()).isEqualTo(50);
    assertThat(s.oldestReadyMax()).isEqualTo(Duration.ofSeconds(900));
    assertThat(s.failureRatePercent()).isEqualTo(20);
    assertThat(s.failureRateMinSample()).isEqualTo(10);
    assertThat(s.metricsWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.schedulerLagMax()).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.schedulerLagUnhealthy()).isEqualTo(Duration.ofSeconds(900));
    assertThat(s.archiveRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(s.eventsRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(s.runsRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(s.resultsRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(s.cleanupBatchSize()).isEqualTo(1000);
  }

  @Test
  void reads_every_value_from_the_environment() {
    MaintenanceSettings s = MaintenanceSettings.fromEnvironment(Map.ofEntries(
        Map.entry("PLANPERFECT_MONITOR_WINDOW_MINUTES", "15"),
        Map.entry("PLANPERFECT_MONITOR_DEAD_LETTERS_MAX", "0"),
        Map.entry("PLANPERFECT_MONITOR_OPEN_DEAD_LETTERS_MAX", "7"),
        Map.entry("PLANPERFECT_MONITOR_OLDEST_READY_SECONDS", "60"),
        Map.entry("PLANPERFECT_MONITOR_FAILURE_RATE_PERCENT", "50"),
        Map.entry("PLANPERFECT_MONITOR_FAILURE_MIN_SAMPLE", "3"),
        Map.entry("PLANPERFECT_METRICS_WINDOW_MINUTES", "5"),
        Map.entry("PLANPERFECT_HEALTH_SCHEDULER_LAG_SECONDS", "30"),
        Map.entry("PLANPERFECT_HEALTH_SCHEDULER_LAG_UNHEALTHY_SECONDS", "45"),
        Map.entry("PLANPERFECT_RETENTION_ARCHIVE_DAYS", "1"),
        Map.entry("PLANPERFECT_RETENTION_EVENTS_DAYS", "2"),
        Map.entry("PLANPERFECT_RETENTION_RUNS_DAYS", "3"),
        Map.entry("PLANPERFECT_RETENTION_RESULTS_DAYS", "4"),
        Map.entry("PLANPERFECT_CLEANUP_BATCH_SIZE", " 250 ")));

    assertThat(s).isEqualTo(new MaintenanceSettings(Duration.ofMinutes(15), 0, 7, Duration.ofSeconds(60), 50, 3,
        Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(45), Duration.ofDays(1), Duration.ofDays(2),
        Duration.ofDays(3), Duration.ofDays(4), 250));
  }

  @Test
  void rejects_a_value_that_is_not_a_number_naming_the_variable() {
    assertThatThrownBy(() -> MaintenanceSettings.fromEnvironment(Map.of("PLANPERFECT_RETENTION_EVENTS_DAYS", "thirty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid configuration: PLANPERFECT_RETENTION_EVENTS_DAYS must be an integer, got 'thirty'");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "PLANPERFECT_MONITOR_WINDOW_MINUTES, 0, must be at least 1",
      "PLANPERFECT_MONITOR_DEAD_LETTERS_MAX, -1, must be at least 0",
      "PLANPERFECT_MONITOR_OPEN_DEAD_LETTERS_MAX, -5, must be at least 0",
      "PLANPERFECT_MONITOR_OLDEST_READY_SECONDS, 0, must be at least 1",
      "PLANPERFECT_MONITOR_FAILURE_RATE_PERCENT, 0, must be 1..99",
      "PLANPERFECT_MONITOR_FAILURE_RATE_PERCENT, 100, must be 1..99",
      "PLANPERFECT_MONITOR_FAILURE_MIN_SAMPLE, 0, must be at least 1",
      "PLANPERFECT_METRICS_WINDOW_MINUTES, 0, must be at least 1",
      "PLANPERFECT_HEALTH_SCHEDULER_LAG_SECONDS, 0, must be at least 1",
      "PLANPERFECT_HEALTH_SCHEDULER_LAG_UNHEALTHY_SECONDS, 60, must be at least 120",
      "PLANPERFECT_RETENTION_ARCHIVE_DAYS, 0, must be at least 1",
      "PLANPERFECT_RETENTION_EVENTS_DAYS, -1, must be at least 1",
      "PLANPERFECT_RETENTION_RUNS_DAYS, 0, must be at least 1",
      "PLANPERFECT_RETENTION_RESULTS_DAYS, 0, must be at least 1",
      "PLANPERFECT_CLEANUP_BATCH_SIZE, 0, must be 1..100000",
      "PLANPERFECT_CLEANUP_BATCH_SIZE, 100001, must be 1..100000",
  })
  void rejects_an_out_of_range_value_naming_the_variable(String variable, String value, String rule) {
    assertThatThrownBy(() -> MaintenanceSettings.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid configuration: " + variable + " " + rule);
  }

  @Test
  void rejects_a_monitor_window_longer_than_the_event_retention_it_reads() {
    assertThatThrownBy(() -> MaintenanceSettings.fromEnvironment(Map.of(
        "PLANPERFECT_RETENTION_EVENTS_DAYS", "1", "PLANPERFECT_MONITOR_WINDOW_MINUTES", "1441")))
        .hasMessageContaining("PLANPERFECT_MONITOR_WINDOW_MINUTES must not be longer than PLANPERFECT_RETENTION_EVENTS_DAYS");
  }

  @Test
  void describes_itself_in_one_line() {
    assertThat(MaintenanceSettings.defaults().describe()).contains("monitorWindow=60m").contains("batch=1000").doesNotContain("\n");
  }
}
