package io.planperfect.stages.schema;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The schema.org types the schema pipeline can generate. */
enum SchemaType {
  ARTICLE("Article"),
  BLOG_POSTING("BlogPosting"),
  WEB_PAGE("WebPage"),
  PRODUCT("Product"),
  FAQ_PAGE("FAQPage"),
  HOW_TO("HowTo");

  final String label;

  SchemaType(String label) {
    this.label = label;
  }

  /** Matches "FAQPage", "faqpage" or "faq_page" alike. */
  static Optional<SchemaType> parse(String value) {
    String key = value.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.label.toLowerCase(Locale.ROOT).equals(key)).findFirst();
  }

  static String labels() {
    return String.join(", ", Arrays.stream(values()).map(t -> t.label).toList());
  }
}
