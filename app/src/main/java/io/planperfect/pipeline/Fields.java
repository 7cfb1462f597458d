package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Typed reads of JSON input fields for intake rules and request bodies. Each takes the field's
 * name in its object and its full path for the message, and throws {@link InvalidField} naming the
 * path when the value is missing (where required), of the wrong type or out of range.
 */
public final class Fields {
  /** The longest text a field may hold unless a rule says otherwise. */
  public static final int MAX_TEXT = 500;

  private Fields() {}

  public static String requiredText(JsonNode node, String name, String path) {
    String value = optionalText(node, name, path);
    if (value == null || value.isBlank()) {
      throw new InvalidField(path, path + " is required");
    }
    return value;
  }

  public static String optionalText(JsonNode node, String name, String path) {
    return optionalText(node, name, path, MAX_TEXT);
  }

  public static String optionalText(JsonNode node, String name, String path, int maxLength) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidField(path, path + " must be a string");
    }
    if (value.asText().length() > maxLength) {
      throw new InvalidField(path, path + " must be at most " + maxLength + " characters");
    }
    return value.asText();
  }

  public static int optionalInt(JsonNode node, String name, String path, int fallback, int min, int max) {
    Long value = optionalLong(node, name, path, min, max);
    return value == null ? fallback : value.intValue();
  }

  public static Integer optionalInteger(JsonNode node, String name, String path, int min, int max) {
    Long value = optionalLong(node, name, path, min, max);
    return value == null ? null : value.intValue();
  }

  public static long requiredLong(JsonNode node, String name, String path, long min, long max) {
    Long value = optionalLong(node, name, path, min, max);
    if (value == null) {
      throw new InvalidField(path, path + " is required");
    }
    return value;
  }

  public static Long optionalLong(JsonNode node, String name, String path, long min, long max) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
      throw new InvalidField(path, path + " must be an integer from " + min + " to " + max);
    }
    return value.asLong();
  }

  public static Boolean optionalBoolean(JsonNode node, String name, String path) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new InvalidField(path, path + " must be true or false");
    }
    return value.asBoolean();
  }

  /** An array of 1 to {@code maxItems} non-blank strings of at most {@link #MAX_TEXT} characters; null when absent. */
  public static List<String> optionalStrings(JsonNode node, String name, String path, int minItems, int maxItems) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray() || value.size() < minItems || value.size() > maxItems) {
      throw new InvalidField(path, path + " must be an array of " + minItems + " to " + maxItems + " strings");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > MAX_TEXT) {
        throw new InvalidField(path, "every item of " + path + " must be a non-empty string of at most "
            + MAX_TEXT + " characters");
      }
      items.add(item.asText());
    }
    return items;
  }

  public static UUID optionalUuid(JsonNode node, String name, String path) {
    String text = optionalText(node, name, path);
    return text == null ? null : uuid(text, path);
  }

  public static UUID uuid(String value, String path) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidField(path, path + " must be a UUID");
    }
  }

  public static JsonNode requiredObject(JsonNode node, String name, String path) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new InvalidField(path, path + " is required");
    }
    if (!value.isObject()) {
      throw new InvalidField(path, path + " must be a JSON object");
    }
    return value;
  }
}
