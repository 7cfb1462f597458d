package io.planperfect.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.UsageReads;
import io.planperfect.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/usage?since=&group_by=}: model tokens and cost summed from the usage ledger (a
 * job's own usage is part of {@code GET /api/v1/jobs/{id}}). A group of its own in the {@code /api/v1}
 * audience, so the model layer's routes stay together.
 */
public final class UsageRoutes implements RouteGroup {
  /** The window when {@code since} is not given. */
  static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  private final UsageReads reads;
  private final Clock clock;

  public UsageRoutes(UsageReads reads, Clock clock) {
    this.reads = reads;
    this.clock = clock;
  }

  @Override
  public void addTo(RouteTable table) {
    table.section(Audience.API_V1).get("/api/v1/usage", Route.SERVICE_KEY,
        "Model tokens and cost summed: ?since= (date or instant, default 30 days ago), ?group_by=pipeline|stage|model|day",
        this::usage);
  }

  void usage(Context ctx) {
    Instant since = Optional.ofNullable(ctx.queryParam("since")).map(UsageRoutes::moment)
        .orElse(clock.instant().minus(DEFAULT_WINDOW));
    String groupBy = Optional.ofNullable(ctx.queryParam("group_by")).orElse("pipeline");
    if (!UsageReads.GROUPS.containsKey(groupBy)) {
      throw ApiError.invalid("group_by", "group_by must be one of " + new TreeSet<>(UsageReads.GROUPS.keySet()));
    }
    ObjectNode answer = Json.object().put("since", since.toString()).put("group_by", groupBy);
    answer.set("groups", reads.sums(since, groupBy));
    ctx.json(answer);
  }

  /** An ISO instant ({@code 2026-01-31T00:00:00Z}) or a date ({@code 2026-01-31}, midnight UTC). */
  private static Instant moment(String value) {
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.invalid("since", "since must be an ISO date (2026-01-31) or instant (2026-01-31T00:00:00Z)");
    }
  }
}
