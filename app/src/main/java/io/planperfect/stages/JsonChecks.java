package io.planperfect.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with a model's JSON answer, one entry per field, named by its path. */
public final class JsonChecks {
  private final List<String> problems = new ArrayList<>();

  /** The field as a non-blank string of at most {@code max} characters. */
  public JsonChecks text(JsonNode node, String field, String path, int max) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      problems.add(path + field + " must be a non-empty string");
    } else if (value.asText().length() > max) {
      problems.add(path + field + " must be at most " + max + " characters, got " + value.asText().length());
    }
    return this;
  }

  /** The field as an array of {@code min} to {@code max} entries; null (after noting why) when it is not. */
  public JsonNode array(JsonNode node, String field, String path, int min, int max) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      problems.add(path + field + " must be an array");
      return null;
    }
    if (value.size() < min || value.size() > max) {
      problems.add(path + field + " must have " + min + " to " + max + " entries, got " + value.size());
    }
    return value;
  }

  /** Each entry of the array as a non-blank string. */
  public JsonChecks texts(JsonNode array, String path) {
    for (int i = 0; array != null && i < array.size(); i++) {
      if (!array.get(i).isTextual() || array.get(i).asText().isBlank()) {
        problems.add(path + "[" + i + "] must be a non-empty string");
      }
    }
    return this;
  }

  /** The entry as an object; false (after noting why) when it is not. */
  public boolean object(JsonNode entry, String path) {
    if (entry.isObject()) {
      return true;
    }
    problems.add(path + " must be an object");
    return false;
  }

  public JsonChecks add(String problem) {
    problems.add(problem);
    return this;
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }
}
