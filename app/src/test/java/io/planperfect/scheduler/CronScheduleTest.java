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
  void a_daily_time_that_daylight_saving_skips_runs_once_just_after_the_gap() {
    // Berlin springs forward on 2027-03-28 from 02:00 to 03:00 local: 02:00 does not exist that day.
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    CronSchedule daily = CronSchedule.parse("0 2 * * *");
    assertThat(daily.next(Instant.parse("2027-03-27T01:00:00Z"), berlin)).contains(Instant.parse("2027-03-28T01:00:00Z"));
    assertThat(daily.next(Instant.parse("2027-03-28T01:00:00Z"), berlin)).contains(Instant.parse("2027-03-29T00:00:00Z"));
  }

  @Test
  void a_daily_time_that_daylight_saving_repeats_runs_once() {
    // Berlin falls back on 2026-10-25 from 03:00 to 02:00 local: 02:00-03:00 happens twice.
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    CronSchedule daily = CronSchedule.parse("0 2 * * *");
    assertThat(daily.next(Instant.parse("2026-10-24T23:00:00Z"), berlin)).contains(Instant.parse("2026-10-25T00:00:00Z"));
    // From inside the repeated hour (02:30 the first time, 02:00 the second), the next run is tomorrow.
    assertThat(daily.next(Instant.parse("2026-10-25T00:30:00Z"), berlin)).contains(Instant.parse("2026-10-26T01:00:00Z"));
    assertThat(daily.next(Instant.parse("2026-10-25T01:00:00Z"), berlin)).contains(Instant.parse("2026-10-26T01:00:00Z"));
  }

  @Test
  void an_expression_that_parses_but_never_fires_has_no_next_time() {
    assertThat(CronSchedule.parse("0 0 30 2 *").firesAfter(Instant.parse("2026-11-22T00:00:00Z"), UTC)).isFalse();
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
