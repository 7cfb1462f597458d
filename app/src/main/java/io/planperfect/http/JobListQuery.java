package io.planperfect.http;

import io.planperfect.engine.JobSearch;
import io.planperfect.engine.JobStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The job list's query parameters ({@code pipeline, status, stage, priority, q, created_after,
 * cursor, limit}), checked once for the API and the dashboard alike; a bad one is a 400 naming it.
 */
public final class JobListQuery {
  public static final int DEFAULT_LIMIT = 50;

  private JobListQuery() {}

  public static JobSearch.Filter filter(Function<String, String> param) {
    return new JobSearch.Filter(text(param, "pipeline"), status(param), text(param, "stage"), priority(param),
        text(param, "q").map(q -> q.length() > 200 ? q.substring(0, 200) : q), createdAfter(param), batch(param));
  }

  private static Optional<java.util.UUID> batch(Function<String, String> param) {
    return text(param, "batch").map(b -> {
      try {
        return java.util.UUID.fromString(b);
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid("batch", "batch must be a batch id (a UUID), got '" + b + "'");
      }
    });
  }

  public static Optional<String> cursor(Function<String, String> param) {
    return text(param, "cursor");
  }

  public static int limit(Function<String, String> param) {
    Optional<String> text = text(param, "limit");
    if (text.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.get());
      if (limit >= 1 && limit <= JobSearch.MAX_PAGE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.invalid("limit", "limit must be an integer from 1 to " + JobSearch.MAX_PAGE);
  }

  private static Optional<String> text(Function<String, String> param, String name) {
    return Optional.ofNullable(param.apply(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static Optional<String> status(Function<String, String> param) {
    Optional<String> status = text(param, "status");
    status.ifPresent(s -> {
      if (Arrays.stream(JobStatus.values()).noneMatch(v -> v.value().equals(s))) {
        throw ApiError.invalid("status", "status must be one of "
            + Arrays.stream(JobStatus.values()).map(JobStatus::value).toList() + ", got '" + s + "'");
      }
    });
    return status;
  }

  private static Optional<Integer> priority(Function<String, String> param) {
    return text(param, "priority").map(p -> {
      try {
        return Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw ApiError.invalid("priority", "priority must be a whole number");
      }
    });
  }

  private static Optional<Instant> createdAfter(Function<String, String> param) {
    return text(param, "created_after").map(t -> {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiError.invalid("created_after", "created_after must be an ISO-8601 timestamp with offset, e.g. 2026-11-23T09:00:00Z");
      }
    });
  }
}
