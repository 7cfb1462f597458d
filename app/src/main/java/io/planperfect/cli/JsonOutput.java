package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The server's JSON printed for scripts, one document per line, and fields read as text for tables. */
final class JsonOutput {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");
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

  /** A timestamp field as people read it, to the second in UTC ("2026-12-07 01:42:50Z"); "" when unset. */
  static String time(JsonNode node, String field) {
    String text = text(node, field);
    try {
      return text.isEmpty() ? "" : OffsetDateTime.parse(text).atZoneSameInstant(ZoneOffset.UTC).format(TIME);
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  /** A timestamp field's time of day in UTC ("02:10:15Z"); "" when unset. */
  static String clock(JsonNode node, String field) {
    String time = time(node, field);
    return time.length() > 11 ? time.substring(11) : time;
  }

  /** How long from one timestamp field to another ("0.4s", "3m 05s"); "" unless both are set. */
  static String took(JsonNode node, String from, String to) {
    try {
      Duration took = Duration.between(OffsetDateTime.parse(text(node, from)), OffsetDateTime.parse(text(node, to)));
      return took.toMinutes() > 0 ? took.toMinutes() + "m " + String.format(Locale.ROOT, "%02ds", took.toSecondsPart())
          : String.format(Locale.ROOT, "%.1fs", took.toMillis() / 1000.0);
    } catch (DateTimeParseException e) {
      return "";
    }
  }
}
