package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema a model's outline must meet ({@code prompts/content/outline.v1.txt}): an object with
 * 2..8 {@code sections} (non-empty {@code heading} and {@code intent}, optional {@code keyword},
 * 0..4 {@code subsections} each with a heading and intent) and 0..5 {@code faq} questions. A code
 * fence around the JSON is tolerated. {@link #problems} names each field that breaks it.
 */
final class OutlineJson {
  static final int MIN_SECTIONS = 2;
  static final int MAX_SECTIONS = 8;
  static final int MAX_SUBSECTIONS = 4;
  static final int MAX_FAQ = 5;
  private static final int MAX_HEADING = 150;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OutlineJson() {}

  /** The answer as JSON, or null when it is not JSON at all. */
  static JsonNode parse(String answer) {
    String text = answer.strip();
    if (text.startsWith("```")) {
      text = text.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    }
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  /** What is wrong with the answer, one entry per field; empty when it meets the schema. */
  static List<String> problems(String answer) {
    JsonNode outline = parse(answer);
    List<String> problems = new ArrayList<>();
    if (outline == null || !outline.isObject()) {
      problems.add("the answer is not a JSON object");
      return problems;
    }
    JsonNode sections = outline.get("sections");
    if (sections == null || !sections.isArray()) {
      problems.add("sections must be an array");
    } else {
      if (sections.size() < MIN_SECTIONS || sections.size() > MAX_SECTIONS) {
        problems.add("sections must have " + MIN_SECTIONS + " to " + MAX_SECTIONS + " entries, got " + sections.size());
      }
      for (int i = 0; i < sections.size(); i++) {
        checkSection(sections.get(i), "sections[" + i + "]", problems);
      }
    }
    JsonNode faq = outline.get("faq");
    if (faq != null && (!faq.isArray() || faq.size() > MAX_FAQ)) {
      problems.add("faq must be an array of at most " + MAX_FAQ + " questions");
    } else if (faq != null) {
      for (int i = 0; i < faq.size(); i++) {
        if (!faq.get(i).isTextual() || faq.get(i).asText().isBlank()) {
          problems.add("faq[" + i + "] must be a non-empty string");
        }
      }
    }
    return problems;
  }

  private static void checkSection(JsonNode section, String path, List<String> problems) {
    if (!section.isObject()) {
      problems.add(path + " must be an object");
      return;
    }
    checkText(section, "heading", path, problems);
    checkText(section, "intent", path, problems);
    JsonNode subsections = section.get("subsections");
    if (subsections == null) {
      return;
    }
    if (!subsections.isArray() || subsections.size() > MAX_SUBSECTIONS) {
      problems.add(path + ".subsections must be an array of at most " + MAX_SUBSECTIONS + " entries");
      return;
    }
    for (int i = 0; i < subsections.size(); i++) {
      String sub = path + ".subsections[" + i + "]";
      if (!subsections.get(i).isObject()) {
        problems.add(sub + " must be an object");
      } else {
        checkText(subsections.get(i), "heading", sub, problems);
        checkText(subsections.get(i), "intent", sub, problems);
      }
    }
  }

  private static void checkText(JsonNode node, String field, String path, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      problems.add(path + "." + field + " must be a non-empty string");
    } else if (value.asText().length() > MAX_HEADING && field.equals("heading")) {
      problems.add(path + ".heading must be at most " + MAX_HEADING + " characters");
    }
  }
}
