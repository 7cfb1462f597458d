package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Seed 004's priority levels as numbers on the queue's priority scale (higher is claimed first):
 * HIGH 10, NORMAL 0, LOW -10. A job may still give any number from -100 to 100; the bands
 * (HIGH from 10, LOW at -10 and below) are what the API and the generation_queue view show. The
 * claim ages a waiting message by one level (10) per the queue's {@code priority_aging_seconds}.
 */
public enum Priority {
  HIGH(10), NORMAL(0), LOW(-10);

  public static final int MIN = -100;
  public static final int MAX = 100;
  /** How many priority points one level is; the claim's aging adds one per aging interval. */
  public static final int LEVEL = 10;

  private final int value;

  Priority(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** The band a priority number falls in. */
  public static Priority of(int value) {
    return value >= HIGH.value ? HIGH : value <= LOW.value ? LOW : NORMAL;
  }

  /**
   * A priority field as a number: "HIGH", "NORMAL" or "LOW" (any case) or an integer from
   * {@link #MIN} to {@link #MAX}; null when absent. Throws {@link InvalidField} naming {@code path}.
   */
  public static Integer parse(JsonNode node, String name, String path) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      try {
        return valueOf(value.asText().trim().toUpperCase(Locale.ROOT)).value;
      } catch (IllegalArgumentException e) {
        throw invalid(path);
      }
    }
    if (value.isIntegralNumber() && value.canConvertToInt() && value.asInt() >= MIN && value.asInt() <= MAX) {
      return value.asInt();
    }
    throw invalid(path);
  }

  private static InvalidField invalid(String path) {
    return new InvalidField(path, path + " must be HIGH, NORMAL or LOW, or an integer from " + MIN + " to " + MAX);
  }
}
