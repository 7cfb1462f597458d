package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import io.planperfect.stages.PayloadFields;
import io.planperfect.stages.Text;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Normalises the sources given with a job. They are recorded only; no address is fetched. */
final class SourceList {
  private static final int EXCERPT_CHARS = 280;

  private SourceList() {}

  static ArrayNode normalise(JsonNode sources) {
    ArrayNode normalised = Json.array();
    if (sources == null || sources.isNull()) {
      return normalised;
    }
    Iterable<JsonNode> items = sources.isArray() ? sources : List.of(sources);
    Set<String> seenUrls = new HashSet<>();
    for (JsonNode item : items) {
      ObjectNode source = item.isObject() ? fromObject(item) : fromText(item.asText().trim());
      String url = source.path("url").asText(null);
      if (source.size() > 0 && (url == null || seenUrls.add(url))) {
        normalised.add(source);
      }
    }
    return normalised;
  }

  private static ObjectNode fromObject(JsonNode item) {
    ObjectNode source = Json.object();
    Json.putIfPresent(source, "url", PayloadFields.text(item, "url"));
    Json.putIfPresent(source, "title", PayloadFields.text(item, "title"));
    addText(source, PayloadFields.text(item, "text"));
    return source;
  }

  private static ObjectNode fromText(String value) {
    ObjectNode source = Json.object();
    if (value.matches("(?i)^https?://\\S+$")) {
      source.put("url", value);
    } else if (!value.isEmpty()) {
      addText(source, value);
    }
    return source;
  }

  private static void addText(ObjectNode source, String text) {
    if (text == null) {
      return;
    }
    String excerpt = text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS).trim() + "…";
    source.put("excerpt", excerpt);
    source.put("word_count", Text.wordCount(text));
  }
}
