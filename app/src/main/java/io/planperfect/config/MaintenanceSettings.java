package io.planperfect.config;

import java.time.Duration;
import java.util.Map;

/**
 * The knobs of the maintenance jobs (seed 003's monitor, metrics, health and cleanup): alert
 * thresholds and windows, the metrics window, scheduler-lag limits and retention ages. Defaults
 * are named constants, read once from the environment and validated here; the README's
 * configuration table lists each variable.
 */
public record MaintenanceSettings(
    Duration monitorWindow,
    int deadLettersMax,
    int openDeadLettersMax,
    Duration oldestReadyMax,
    int failureRatePercent,
    int failureRateMinSample,
    Duration metricsWindow,
    Duration schedulerLagMax,
    Duration schedulerLagUnhealthy,
    Duration archiveRetention,
    Duration eventsRetention,
    Duration runsRetention,
    Duration resultsRetention,
    int cleanupBatchSize) {

  public static final int DEFAULT_MONITOR_WINDOW_MINUTES = 60;
  public static final int DEFAULT_DEAD_LETTERS_MAX = 5;
  public static final int DEFAULT_OPEN_DEAD_LETTERS_MAX = 50;
  public static final int DEFAULT_OLDEST_READY_SECONDS = 900;
  public static final int DEFAULT_FAILURE_RATE_PERCENT = 20;
  public static final int DEFAULT_FAILURE_MIN_SAMPLE = 10;
  public static final int DEFAULT_METRICS_WINDOW_MINUTES = 30;
  public static final int DEFAULT_SCHEDULER_LAG_SECONDS = 120;
  public static final int DEFAULT_SCHEDULER_LAG_UNHEALTHY_SECONDS = 900;
  public static final int DEFAULT_ARCHIVE_DAYS = 7;
  public static final int DEFAULT_EVENTS_DAYS = 30;
  public static final int DEFAULT_RUNS_DAYS = 30;
  public static final int DEFAULT_RESULTS_DAYS = 30;
  public static final int DEFAULT_CLEANUP_BATCH_SIZE = 1000;
  public static final int MAX_CLEANUP_BATCH_SIZE = 100_000;

  public MaintenanceSettings {
    atLeast("PLANPERFECT_MONITOR_WINDOW_MINUTES", monitorWindow.toMinutes(), 1);
    atLeast("PLANPERFECT_MONITOR_DEAD_LETTERS_MAX", deadLettersMax, 0);
    atLeast("PLANPERFECT_MONITOR_OPEN_DEAD_LETTERS_MAX", openDeadLettersMax, 0);
    atLeast("PLANPERFECT_MONITOR_OLDEST_READY_SECONDS", oldestReadyMax.toSeconds(), 1);
    between("PLANPERFECT_MONITOR_FAILURE_RATE_PERCENT", failureRatePercent, 1, 99);
    atLeast("PLANPERFECT_MONITOR_FAILURE_MIN_SAMPLE", failureRateMinSample, 1);
    atLeast("PLANPERFECT_METRICS_WINDOW_MINUTES", metricsWindow.toMinutes(), 1);
    atLeast("PLANPERFECT_HEALTH_SCHEDULER_LAG_SECONDS", schedulerLagMax.toSeconds(), 1);
    atLeast("PLANPERFECT_HEALTH_SCHEDULER_LAG_UNHEALTHY_SECONDS", schedulerLagUnhealthy.toSeconds(),
        schedulerLagMax.toSeconds());
    atLeast("PLANPERFECT_RETENTION_ARCHIVE_DAYS", archiveRetention.toDays(), 1);
    atLeast("PLANPERFECT_RETENTION_EVENTS_DAYS", eventsRetention.toDays(), 1);
    atLeast("PLANPERFECT_RETENTION_RUNS_DAYS", runsRetention.toDays(), 1);
    atLeast("PLANPERFECT_RETENTION_RESULTS_DAYS", resultsRetention.toDays(), 1);
    between("PLANPERFECT_CLEANUP_BATCH_SIZE", cleanupBatchSize, 1, MAX_CLEANUP_BATCH_SIZE);
    // why: the monitor and metrics read job_events over their window; cleanup must not remove them first.
    notLonger("PLANPERFECT_MONITOR_WINDOW_MINUTES", monitorWindow, "PLANPERFECT_RETENTION_EVENTS_DAYS", eventsRetention);
    notLonger("PLANPERFECT_METRICS_WINDOW_MINUTES", metricsWindow, "PLANPERFECT_RETENTION_EVENTS_DAYS", eventsRetention);
  }

  /** Every value at its default. */
  public static MaintenanceSettings defaults() {
    return fromEnvironment(Map.of());
  }

  /** Settings from the environment, with defaults for everything unset. */
  public static MaintenanceSettings fromEnvironment(Map<String, String> env) {
    EnvReader e = new EnvReader(env);
    return new MaintenanceSettings(
        Duration.ofMinutes(e.integer("PLANPERFECT_MONITOR_WINDOW_MINUTES", DEFAULT_MONITOR_WINDOW_MINUTES)),
        e.integer("PLANPERFECT_MONITOR_DEAD_LETTERS_MAX", DEFAULT_DEAD_LETTERS_MAX),
        e.integer("PLANPERFECT_MONITOR_OPEN_DEAD_LETTERS_MAX", DEFAULT_OPEN_DEAD_LETTERS_MAX),
        Duration.ofSeconds(e.integer("PLANPERFECT_MONITOR_OLDEST_READY_SECONDS", DEFAULT_OLDEST_READY_SECONDS)),
        e.integer("PLANPERFECT_MONITOR_FAILURE_RATE_PERCENT", DEFAULT_FAILURE_RATE_PERCENT),
        e.integer("PLANPERFECT_MONITOR_FAILURE_MIN_SAMPLE", DEFAULT_FAILURE_MIN_SAMPLE),
        Duration.ofMinutes(e.integer("PLANPERFECT_METRICS_WINDOW_MINUTES", DEFAULT_METRICS_WINDOW_MINUTES)),
        Duration.ofSeconds(e.integer("PLANPERFECT_HEALTH_SCHEDULER_LAG_SECONDS", DEFAULT_SCHEDULER_LAG_SECONDS)),
        Duration.ofSeconds(e.integer("PLANPERFECT_HEALTH_SCHEDULER_LAG_UNHEALTHY_SECONDS",
            DEFAULT_SCHEDULER_LAG_UNHEALTHY_SECONDS)),
        Duration.ofDays(e.integer("PLANPERFECT_RETENTION_ARCHIVE_DAYS", DEFAULT_ARCHIVE_DAYS)),
        Duration.ofDays(e.integer("PLANPERFECT_RETENTION_EVENTS_DAYS", DEFAULT_EVENTS_DAYS)),
        Duration.ofDays(e.integer("PLANPERFECT_RETENTION_RUNS_DAYS", DEFAULT_RUNS_DAYS)),
        Duration.ofDays(e.integer("PLANPERFECT_RETENTION_RESULTS_DAYS", DEFAULT_RESULTS_DAYS)),
        e.integer("PLANPERFECT_CLEANUP_BATCH_SIZE", DEFAULT_CLEANUP_BATCH_SIZE));
  }

  /** A one-line description for the start-up log. */
  public String describe() {
    return ("monitorWindow=%dm deadLettersMax=%d openDeadLettersMax=%d oldestReady=%ds failureRate=%d%%/%d "
        + "metricsWindow=%dm schedulerLag=%ds/%ds retentionDays=archive:%d,events:%d,runs:%d,results:%d batch=%d")
        .formatted(monitorWindow.toMinutes(), deadLettersMax, openDeadLettersMax, oldestReadyMax.toSeconds(),
            failureRatePercent, failureRateMinSample, metricsWindow.toMinutes(), schedulerLagMax.toSeconds(),
            schedulerLagUnhealthy.toSeconds(), archiveRetention.toDays(), eventsRetention.toDays(),
            runsRetention.toDays(), resultsRetention.toDays(), cleanupBatchSize);
  }

  private static void atLeast(String variable, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException("invalid configuration: " + variable + " must be at least " + min + ", got " + value);
    }
  }

  private static void between(String variable, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "invalid configuration: " + variable + " must be " + min + ".." + max + ", got " + value);
    }
  }

  private static void notLonger(String variable, Duration value, String limitVariable, Duration limit) {
    if (value.compareTo(limit) > 0) {
      throw new IllegalArgumentException(
          "invalid configuration: " + variable + " must not be longer than " + limitVariable + " (events it reads would be deleted)");
    }
  }
}
