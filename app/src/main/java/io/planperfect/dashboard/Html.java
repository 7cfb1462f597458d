package io.planperfect.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;

/** HTML text: every value that comes from data goes through {@link #e}, so nothing stored is ever markup. */
final class Html {
  private Html() {}

  /** The text escaped for an element's content or a double-quoted attribute. */
  static String e(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A JSON field's text escaped ("" when missing or null). */
  static String e(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "" : e(value.asText());
  }

  /** A timestamp from the database as "2026-12-06 22:53:15" (UTC), escaped; other text as it is. */
  static String time(JsonNode node, String field) {
    return time(node, field, TIME);
  }

  /** As {@link #time(JsonNode, String)} with milliseconds, for events and stage runs that take less than a second. */
  static String timeMillis(JsonNode node, String field) {
    return time(node, field, TIME_MILLIS);
  }

  private static String time(JsonNode node, String field, java.time.format.DateTimeFormatter format) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      return "";
    }
    try {
      return e(format.format(java.time.OffsetDateTime.parse(value.asText())));
    } catch (java.time.format.DateTimeParseException ex) {
      return e(value.asText());
    }
  }

  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
  private static final java.time.format.DateTimeFormatter TIME_MILLIS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);

  /** JSON pretty-printed and escaped, for a {@code <pre>}. */
  static String json(JsonNode node) {
    return e(Json.MAPPER.valueToTree(node).toPrettyString());
  }

  /** A hidden field with the session's CSRF token, for every form that changes something. */
  static String csrf(String token) {
    return "<input type=\"hidden\" name=\"_csrf\" value=\"" + e(token) + "\">";
  }

  /** A progress bar that dashboard.js keeps live for a job. */
  static String progress(String jobId, long percent, String status) {
    return "<div class=\"progress\" data-job=\"" + e(jobId) + "\" data-status=\"" + e(status) + "\">"
        + "<div class=\"bar\" style=\"width:" + percent + "%\"></div><span class=\"label\">" + percent + "%</span></div>";
  }

  /** A status as a coloured tag. */
  static String status(String status) {
    return "<span class=\"tag " + e(status) + "\">" + e(status) + "</span>";
  }

  /** A form with one button that POSTs to a path (with the CSRF token). */
  static String button(String action, String label, String csrf, String cssClass) {
    return "<form method=\"post\" action=\"" + e(action) + "\" class=\"inline\">" + csrf(csrf)
        + "<button type=\"submit\" class=\"" + e(cssClass) + "\">" + e(label) + "</button></form>";
  }
}
