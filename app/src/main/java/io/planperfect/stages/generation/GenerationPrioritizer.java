package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.Priority;
import io.planperfect.stages.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 004's JobPrioritizer, point for point: page importance by skuCount (over 1000: 30, over
 * 100: 20, else 10), traffic by monthlySearches (over 10000: 30, over 1000: 20, else 10), content
 * status (missing: 20, outdated: 10), time to the deadline (under 24 h: 30, under 72 h: 20); a
 * score of 70 or more is HIGH, 40 or more NORMAL, else LOW.
 */
final class GenerationPrioritizer {
  private final Clock clock;

  GenerationPrioritizer(Clock clock) {
    this.clock = clock;
  }

  /** The score, the level it maps to and why, one reason per factor. */
  record Score(int score, Priority level, List<String> reasons) {
    ObjectNode toJson() {
      ObjectNode json = Json.object().put("score", score).put("level", level.name());
      ArrayNode list = json.putArray("reasons");
      reasons.forEach(list::add);
      return json;
    }
  }

  Score score(JsonNode payload) {
    JsonNode metadata = payload.path("metadata");
    List<String> reasons = new ArrayList<>();
    long skus = metadata.path("skuCount").asLong(0);
    int score = points(skus, 1_000, 100, "skuCount " + skus, reasons);
    long searches = metadata.path("monthlySearches").asLong(0);
    score += points(searches, 10_000, 1_000, "monthlySearches " + searches, reasons);
    String status = metadata.path("contentStatus").asText("");
    if (status.equals("missing")) {
      score += add(20, "contentStatus missing", reasons);
    } else if (status.equals("outdated")) {
      score += add(10, "contentStatus outdated", reasons);
    }
    score += deadlinePoints(payload.path("deadline").asText(null), reasons);
    Priority level = score >= 70 ? Priority.HIGH : score >= 40 ? Priority.NORMAL : Priority.LOW;
    return new Score(score, level, reasons);
  }

  private static int points(long value, long high, long middle, String what, List<String> reasons) {
    return add(value > high ? 30 : value > middle ? 20 : 10, what, reasons);
  }

  private int deadlinePoints(String deadline, List<String> reasons) {
    if (deadline == null) {
      return 0;
    }
    OffsetDateTime at;
    try {
      at = OffsetDateTime.parse(deadline);
    } catch (RuntimeException e) {
      return 0;  // why: intake refuses a bad deadline; this only guards a direct call
    }
    double hours = Duration.between(clock.instant(), at.toInstant()).toMinutes() / 60.0;
    if (hours < 24) {
      return add(30, "deadline in under 24 h", reasons);
    }
    return hours < 72 ? add(20, "deadline in under 72 h", reasons) : 0;
  }

  private static int add(int points, String why, List<String> reasons) {
    reasons.add(why + ": +" + points);
    return points;
  }
}
