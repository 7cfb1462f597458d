package io.planperfect.scheduler;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A job's schedule: a standard five-field cron expression (minute hour day-of-month month
 * day-of-week, as pg_cron and crontab read it), or six fields with seconds first for jobs that
 * must run more often than once a minute. Parsing and next-time arithmetic are cron-utils'.
 */
public final class CronSchedule {
  private static final CronParser FIVE_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String expression;
  private final ExecutionTime executionTime;

  private CronSchedule(String expression, Cron cron) {
    this.expression = expression;
    this.executionTime = ExecutionTime.forCron(cron);
  }

  /** Parses an expression, or throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("a cron expression is required, e.g. '*/5 * * * *'");
    }
    String trimmed = expression.trim().replaceAll("\\s+", " ");
    int fields = trimmed.split(" ").length;
    CronParser parser = switch (fields) {
      case 5 -> FIVE_FIELDS;
      case 6 -> WITH_SECONDS;
      default -> throw new IllegalArgumentException(
          "cron expression '" + expression + "' has " + fields + " fields; expected 5 (minute hour day month weekday) "
              + "or 6 (with seconds first)");
    };
    try {
      return new CronSchedule(trimmed, parser.parse(trimmed));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + e.getMessage());
    }
  }

  /**
   * The first time strictly after {@code after}, read as wall-clock time in {@code zone}; empty if
   * the expression never fires again. Across daylight-saving changes a wall-clock time that does
   * not exist (spring forward) runs at the first instant after the gap, and one that occurs twice
   * (fall back) runs once, at its first occurrence.
   */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    // why wall-clock arithmetic: cron-utils stepping through zoned times skips the day of a gap
    // and can return a repeated hour twice; on local times with no zone neither can happen.
    LocalDateTime local = LocalDateTime.ofInstant(after.truncatedTo(ChronoUnit.SECONDS), zone);
    for (int step = 0; step < 3; step++) {
      Optional<ZonedDateTime> candidate = executionTime.nextExecution(local.atZone(ZoneOffset.UTC));
      if (candidate.isEmpty()) {
        return Optional.empty();
      }
      local = candidate.get().toLocalDateTime();
      Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  /** Whether the expression fires at all after {@code after} (some parse but never fire, e.g. '0 0 30 2 *'). */
  public boolean firesAfter(Instant after, ZoneId zone) {
    return next(after, zone).isPresent();
  }

  public String expression() {
    return expression;
  }

  @Override
  public String toString() {
    return expression;
  }
}
