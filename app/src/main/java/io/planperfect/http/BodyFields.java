package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.Fields;
import java.util.UUID;

/**
 * Typed reads of request-body fields: {@link Fields}, whose {@code InvalidField} the server answers
 * with a 400 naming the field.
 */
final class BodyFields {
  static final int MAX_TEXT = Fields.MAX_TEXT;

  private BodyFields() {}

  static String requiredText(JsonNode node, String name, String field) {
    return Fields.requiredText(node, name, field);
  }

  static String optionalText(JsonNode node, String name, String field) {
    return Fields.optionalText(node, name, field);
  }

  static int optionalInt(JsonNode node, String name, String field, int fallback, int min, int max) {
    return Fields.optionalInt(node, name, field, fallback, min, max);
  }

  static Integer optionalInteger(JsonNode node, String name, String field, int min, int max) {
    return Fields.optionalInteger(node, name, field, min, max);
  }

  static long requiredLong(JsonNode node, String name, String field, long min, long max) {
    return Fields.requiredLong(node, name, field, min, max);
  }

  static Long optionalLong(JsonNode node, String name, String field, long min, long max) {
    return Fields.optionalLong(node, name, field, min, max);
  }

  static UUID optionalUuid(JsonNode node, String name, String field) {
    return Fields.optionalUuid(node, name, field);
  }

  static UUID uuid(String value, String field) {
    return Fields.uuid(value, field);
  }

  static JsonNode requiredObject(JsonNode node, String name, String field) {
    return Fields.requiredObject(node, name, field);
  }

  static void requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.invalid("body", "the request body must be a JSON object");
    }
  }
}
