package io.planperfect.stages.content;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A markdown article split into headings and prose sentences for measuring. */
record MarkdownDoc(List<Heading> headings, List<String> paragraphs) {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…])\\s+");

  record Heading(int level, String text) {}

  static MarkdownDoc parse(String markdown) {
    List<Heading> headings = new ArrayList<>();
    List<String> paragraphs = new ArrayList<>();
    StringBuilder paragraph = new StringBuilder();
    for (String line : markdown.split("\\R")) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches() || line.isBlank()) {
        flush(paragraph, paragraphs);
        if (heading.matches()) {
          headings.add(new Heading(heading.group(1).length(), heading.group(2)));
        }
      } else {
        paragraph.append(paragraph.length() == 0 ? "" : " ").append(plain(line));
      }
    }
    flush(paragraph, paragraphs);
    return new MarkdownDoc(List.copyOf(headings), List.copyOf(paragraphs));
  }

  List<String> sentences() {
    List<String> sentences = new ArrayList<>();
    for (String paragraph : paragraphs) {
      for (String sentence : SENTENCE_END.split(paragraph)) {
        if (!sentence.isBlank()) {
          sentences.add(sentence.trim());
        }
      }
    }
    return sentences;
  }

  List<String> headingTexts(int level) {
    return headings.stream().filter(h -> h.level() == level).map(Heading::text).toList();
  }

  /** The prose without markdown emphasis, links or list markers. */
  private static String plain(String line) {
    String text = LIST_MARKER.matcher(line).replaceFirst("");
    text = text.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1");
    return text.replaceAll("[*_`>]+", "").trim();
  }

  private static void flush(StringBuilder paragraph, List<String> paragraphs) {
    if (paragraph.length() > 0) {
      paragraphs.add(paragraph.toString());
      paragraph.setLength(0);
    }
  }
}
