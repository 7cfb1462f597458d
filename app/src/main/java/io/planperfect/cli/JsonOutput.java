package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;

/** The server's JSON printed for scripts, one document per line, and fields read as text for tables. */
final class JsonOutput {
  private JsonOutput() {}

  static void print(JsonNode node) {
    System.out.println(Json.write(node));
  }

  static void print(String json) {
    System.out.println(json);
  }

  /** The field as text; "" when it is missing or null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : Json.write(value);
  }
}
