package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.regex.Pattern;

/**
 * A payload field given on the command line: {@code NAME=TEXT} (text; {@code keywords} split on
 * {@code ;} or {@code |} into a list) or {@code NAME:=JSON} (any JSON value); a dotted name sets a
 * nested field ({@code metadata.skuCount:=1200}).
 */
final class PayloadField {
  private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*[;|]\\s*");

  private PayloadField() {}

  static void put(ObjectNode payload, String assignment) {
    int equals = assignment.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException("--payload " + assignment + ": write NAME=TEXT or NAME:=JSON");
    }
    boolean raw = assignment.charAt(equals - 1) == ':';
    String name = assignment.substring(0, raw ? equals - 1 : equals).trim();
    String value = assignment.substring(equals + 1);
    String[] path = name.split("\\.");
    ObjectNode target = payload;
    for (int i = 0; i < path.length - 1; i++) {
      JsonNode next = target.get(path[i]);
      target = next != null && next.isObject() ? (ObjectNode) next : target.putObject(path[i]);
    }
    String field = path[path.length - 1];
    if (raw) {
      target.set(field, json(name, value));
    } else if (field.equals("keywords")) {
      ArrayNode list = target.putArray(field);
      for (String item : LIST_SEPARATOR.split(value.trim())) {
        if (!item.isBlank()) {
          list.add(item);
        }
      }
    } else {
      target.put(field, value);
    }
  }

  private static JsonNode json(String name, String value) {
    try {
      return Json.read(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--payload " + name + ":= needs JSON (a number, true, [..], {..}), got " + value);
    }
  }
}
