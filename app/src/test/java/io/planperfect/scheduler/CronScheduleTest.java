package io.planperfect.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void five_fields_are_minute_hour_day_month_weekday() {
    CronSchedule everyFive = CronSchedule.parse("*/5 * * * *");
    assertThat(everyFive.next(Instant.parse("2026-11-22T10:02:30Z"), UTC)).contains(Instant.parse("2026-11-22T10:05:00Z"));
    assertThat(CronSchedule.parse("0 2 * * *").next(Instant.parse("2026-11-22T02:00:00Z"), UTC))
        .contains(Instant.parse("2026-11-23T02:00:00Z"));
  }

  @Test
  void next_is_strictly_after_the_given_time() {
    assertThat(CronSchedule.parse("*/5 * * * *").next(Instant.parse("2026-11-22T10:05:00Z"), UTC))
        .contains(Instant.parse("2026-11-22T10:10:00Z"));
  }

  @Test
  void six_fields_put_seconds_first() {
    assertThat(CronSchedule.parse("* * * * * *").next(Instant.parse("2026-11-22T10:00:00.400Z"), UTC))
        .contains(Instant.parse("2026-11-22T10:00:01Z"));
    assertThat(CronSchedule.parse("*/10 * * * * *").next(Instant.parse("2026-11-22T10:00:01Z"), UTC))
        .contains(Instant.parse("2026-11-22T10:00:10Z"));
  }

  @Test
  void the_time_zone_decides_when_a_daily_job_runs() {
    // 02:00 in Berlin is 01:00 UTC in winter.
    assertThat(CronSchedule.parse("0 2 * * *").next(Instant.parse("2026-11-22T00:00:00Z"), ZoneId.of("Europe/Berlin")))
        .contains(Instant.parse("2026-11-22T01:00:00Z"));
  }

  @Test
  void a_malformed_expression_is_refused_with_the_reason() {
    assertThatThrownBy(() -> CronSchedule.parse("every five minutes")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 fields");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cron expression '61 * * * *'");
    assertThatThrownBy(() -> CronSchedule.parse(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("required");
  }
}
