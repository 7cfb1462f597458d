package io.planperfect.stages.generation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of page the generation pipeline writes, each with its template and its length targets. */
public enum PageType {
  PRODUCT("Product", 60, 70, 3, 150),
  CATEGORY("CollectionPage", 70, 60, 3, 150),
  LANDING("WebPage", 70, 80, 3, 180),
  BLOG("BlogPosting", 90, 120, 4, 300);

  /** The schema.org type of the page's JSON-LD. */
  final String schemaType;
  final int introWords;
  final int blockWords;
  final int faqCount;
  /** The fewest words the quality check accepts. */
  final int minWords;

  PageType(String schemaType, int introWords, int blockWords, int faqCount, int minWords) {
    this.schemaType = schemaType;
    this.introWords = introWords;
    this.blockWords = blockWords;
    this.faqCount = faqCount;
    this.minWords = minWords;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<PageType> parse(String text) {
    return Arrays.stream(values()).filter(t -> t.label().equalsIgnoreCase(text.trim())).findFirst();
  }

  static List<String> labels() {
    return Arrays.stream(values()).map(PageType::label).toList();
  }

  /** The page's title for its main keyword (or the product's name). */
  String title(String subject) {
    String s = Character.toUpperCase(subject.charAt(0)) + subject.substring(1);
    return switch (this) {
      case PRODUCT -> s + ": features, details and care";
      case CATEGORY -> s + ": browse the full range";
      case LANDING -> s + " made simple";
      case BLOG -> s + ": a practical guide";
    };
  }
}
