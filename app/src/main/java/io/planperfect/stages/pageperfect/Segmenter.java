package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a crawled page into segments: a new one at every heading, holding the paragraphs under it;
 * a section longer than {@value #MAX_WORDS} words is cut at paragraph ends into several.
 */
final class Segmenter {
  static final int MAX_WORDS = 150;
  static final int MAX_SEGMENTS = 200;

  private Segmenter() {}

  static List<Segment> split(JsonNode blocks, String title) {
    List<Segment> segments = new ArrayList<>();
    String heading = title == null ? "" : title;
    StringBuilder text = new StringBuilder();
    for (JsonNode block : blocks) {
      if (segments.size() >= MAX_SEGMENTS) {
        break;
      }
      String content = block.path("text").asText();
      if (block.path("level").asInt() > 0) {
        flush(segments, heading, text);
        heading = content;
        continue;
      }
      if (text.length() > 0 && Text.wordCount(text.toString()) + Text.wordCount(content) > MAX_WORDS) {
        flush(segments, heading, text);
      }
      text.append(text.length() == 0 ? "" : " ").append(content);
    }
    flush(segments, heading, text);
    return segments;
  }

  private static void flush(List<Segment> segments, String heading, StringBuilder text) {
    if (text.length() > 0 || !heading.isBlank()) {
      String body = text.length() == 0 ? heading : heading.isBlank() ? text.toString() : heading + ". " + text;
      segments.add(new Segment(segments.size(), heading, body));
    }
    text.setLength(0);
  }
}
