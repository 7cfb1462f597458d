package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** Typed reads of request-body fields that fail with a 400 naming the field. */
final class BodyFields {
  static final int MAX_TEXT = 500;

  private BodyFields() {}

  static String requiredText(JsonNode node, String name, String field) {
    String value = optionalText(node, name, field);
    if (value == null || value.isBlank()) {
      throw ApiError.invalid(field, field + " is required");
    }
    return value;
  }

  static String optionalText(JsonNode node, String name, String field) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.invalid(field, field + " must be a string");
    }
    if (value.asText().length() > MAX_TEXT) {
      throw ApiError.invalid(field, field + " must be at most " + MAX_TEXT + " characters");
    }
    return value.asText();
  }

  static int optionalInt(JsonNode node, String name, String field, int fallback, int min, int max) {
    Long value = optionalLong(node, name, field, min, max);
    return value == null ? fallback : value.intValue();
  }

  static Integer optionalInteger(JsonNode node, String name, String field, int min, int max) {
    Long value = optionalLong(node, name, field, min, max);
    return value == null ? null : value.intValue();
  }

  static long requiredLong(JsonNode node, String name, String field, long min, long max) {
    Long value = optionalLong(node, name, field, min, max);
    if (value == null) {
      throw ApiError.invalid(field, field + " is required");
    }
    return value;
  }

  static Long optionalLong(JsonNode node, String name, String field, long min, long max) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
      throw ApiError.invalid(field, field + " must be an integer from " + min + " to " + max);
    }
    return value.asLong();
  }

  static UUID optionalUuid(JsonNode node, String name, String field) {
    String text = optionalText(node, name, field);
    return text == null ? null : uuid(text, field);
  }

  static UUID uuid(String value, String field) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(field, field + " must be a UUID");
    }
  }

  static JsonNode requiredObject(JsonNode node, String name, String field) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ApiError.invalid(field, field + " is required");
    }
    if (!value.isObject()) {
      throw ApiError.invalid(field, field + " must be a JSON object");
    }
    return value;
  }

  static void requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.invalid("body", "the request body must be a JSON object");
    }
  }
}
