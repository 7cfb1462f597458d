package io.planperfect.stages.generation;

import io.planperfect.stages.Text;
import io.planperfect.stages.writer.Faq;
import io.planperfect.stages.writer.OfflineWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in writer's page components (no model needed; the same brief gives the same page): a
 * title for the page type, a meta description, an intro, one body block per keyword, and an FAQ.
 */
public final class OfflineComponentWriter implements ComponentWriter {
  @Override
  public PageComponents write(PageBrief brief) {
    PageType type = brief.pageType();
    String title = type.title(brief.subject());
    OfflineWriter writer = new OfflineWriter(title, brief.keywords(), brief.brandVoice(), audience(type));
    List<PageComponents.Block> blocks = new ArrayList<>();
    for (String keyword : brief.keywords()) {
      blocks.add(new PageComponents.Block(writer.sectionHeading(keyword), writer.body(keyword, type.blockWords)));
    }
    List<PageComponents.Question> faq = new ArrayList<>();
    for (Faq question : writer.faqQuestions(type.faqCount)) {
      faq.add(new PageComponents.Question(question.question(), String.join(" ", writer.faqAnswer(question, 40))));
    }
    return new PageComponents(Text.capitalise(title), writer.metaDescription(), writer.intro(type.introWords), blocks, faq,
        "offline");
  }

  private static String audience(PageType type) {
    return switch (type) {
      case PRODUCT, CATEGORY -> "shoppers";
      case LANDING -> "visitors";
      case BLOG -> "readers";
    };
  }
}
