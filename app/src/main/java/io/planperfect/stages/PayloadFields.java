package io.planperfect.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.PermanentStageFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads typed fields from a job payload, treating blank values as absent. */
public final class PayloadFields {
  private PayloadFields() {}

  /** The trimmed text of a field, or null when it is missing, null or blank. */
  public static String text(JsonNode payload, String field) {
    JsonNode node = payload == null ? null : payload.get(field);
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String value = node.asText().trim();
    return value.isEmpty() ? null : value;
  }

  public static String textOr(JsonNode payload, String field, String fallback) {
    String value = text(payload, field);
    return value == null ? fallback : value;
  }

  /** The trimmed text of a field that must be present; a retry cannot supply it. */
  public static String requiredText(JsonNode payload, String field) {
    String value = text(payload, field);
    if (value == null) {
      throw new PermanentStageFailure(field + " is required and must not be blank");
    }
    return value;
  }

  /** An integer field, the fallback when absent, and a permanent failure when not a whole number. */
  public static int intOr(JsonNode payload, String field, int fallback) {
    JsonNode node = payload == null ? null : payload.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (node.canConvertToInt() && node.isIntegralNumber()) {
      return node.asInt();
    }
    if (node.isTextual() && node.asText().trim().matches("-?\\d{1,9}")) {
      return Integer.parseInt(node.asText().trim());
    }
    throw new PermanentStageFailure(field + " must be a whole number, got " + node);
  }

  /**
   * The non-blank strings of an array field (a single string counts as a one-item list), trimmed
   * and without case-insensitive duplicates, in their original order.
   */
  public static List<String> strings(JsonNode payload, String field) {
    JsonNode node = payload == null ? null : payload.get(field);
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    Iterable<JsonNode> items = node.isArray() ? node : List.of(node);
    Set<String> seen = new LinkedHashSet<>();
    for (JsonNode item : items) {
      if (item.isValueNode() && !item.isNull()) {
        String value = item.asText().trim().replaceAll("\\s+", " ");
        if (!value.isEmpty() && seen.add(value.toLowerCase(Locale.ROOT))) {
          values.add(value);
        }
      }
    }
    return values;
  }
}
