package io.planperfect.scheduler;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
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

  /** The first time strictly after {@code after}, read in {@code zone}; empty if the expression never fires again. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    // why truncate: cron times are whole seconds; cron-utils would otherwise carry the fraction over.
    return executionTime.nextExecution(after.truncatedTo(ChronoUnit.SECONDS).atZone(zone)).map(t -> t.toInstant());
  }

  public String expression() {
    return expression;
  }

  @Override
  public String toString() {
    return expression;
  }
}
