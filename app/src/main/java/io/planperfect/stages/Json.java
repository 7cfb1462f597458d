package io.planperfect.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Small helpers for building and reading stage results as Jackson trees. */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  public static ArrayNode strings(Collection<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** The text items of an array node (missing or non-array nodes give an empty list). */
  public static List<String> textList(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(item -> values.add(item.asText()));
    }
    return values;
  }

  /** Puts the value only when it is not null, so optional inputs stay absent from results. */
  public static void putIfPresent(ObjectNode target, String field, String value) {
    if (value != null) {
      target.put(field, value);
    }
  }
}
