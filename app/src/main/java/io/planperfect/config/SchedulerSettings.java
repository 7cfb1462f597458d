package io.planperfect.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * The scheduler's knobs: whether this node takes part (every node does by default; each due run
 * still happens once across them all), the time zone cron expressions are read in, and how often
 * the node looks for due runs and manual triggers.
 */
public record SchedulerSettings(boolean enabled, ZoneId zone, Duration pollInterval) {
  public static final String DEFAULT_ZONE = "UTC";
  public static final int DEFAULT_POLL_MILLIS = 500;

  public SchedulerSettings {
    // why the upper bound: a poll longer than half the scheduler's 10 s misfire grace would make
    // ticks found on time look like ticks missed while every node was down.
    if (pollInterval.toMillis() < 50 || pollInterval.toMillis() > 5000) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_SCHEDULER_POLL_MILLIS must be from 50 to 5000");
    }
  }

  public static SchedulerSettings defaults() {
    return new SchedulerSettings(true, ZoneId.of(DEFAULT_ZONE), Duration.ofMillis(DEFAULT_POLL_MILLIS));
  }

  static SchedulerSettings from(EnvReader env) {
    return new SchedulerSettings(
        env.bool("PLANPERFECT_SCHEDULER", true),
        zone(env.text("PLANPERFECT_SCHEDULER_TIMEZONE", DEFAULT_ZONE)),
        Duration.ofMillis(env.integer("PLANPERFECT_SCHEDULER_POLL_MILLIS", DEFAULT_POLL_MILLIS)));
  }

  public static SchedulerSettings fromEnvironment(Map<String, String> env) {
    return from(new EnvReader(env));
  }

  private static ZoneId zone(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "invalid configuration: PLANPERFECT_SCHEDULER_TIMEZONE must be a time zone such as UTC or Europe/Berlin, got '"
              + name + "'");
    }
  }
}
