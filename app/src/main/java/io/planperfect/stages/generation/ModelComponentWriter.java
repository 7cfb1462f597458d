package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.ai.ModelPrompt;
import io.planperfect.stages.JsonAnswer;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The page's components written by the attempt's model ({@code prompts/generation/components.v1.txt}):
 * its JSON answer checked by {@link ComponentsJson}, asked again with the problems fed back at most
 * {@link #MAX_CORRECTIONS} times.
 */
final class ModelComponentWriter implements ComponentWriter {
  static final Prompt PROMPT = Prompt.load("generation/components", "v1");
  static final int MAX_CORRECTIONS = 2;
  private static final int MAX_TOKENS = 3000;
  private static final int TARGET_PAGE_CHARS = 1_000;

  private final ModelSession session;

  ModelComponentWriter(ModelSession session) {
    this.session = session;
  }

  @Override
  public PageComponents write(PageBrief brief) {
    ModelPrompt prompt = PROMPT.render(values(brief), MAX_TOKENS);
    JsonNode answer = JsonAnswer.ask(session, PROMPT.id(), prompt, json -> ComponentsJson.problems(json, brief.pageType()),
        MAX_CORRECTIONS, "the page's components");
    List<PageComponents.Block> blocks = new ArrayList<>();
    answer.path("body_blocks").forEach(b -> blocks.add(new PageComponents.Block(b.path("heading").asText().strip(),
        paragraphs(b.path("paragraphs")))));
    List<PageComponents.Question> faq = new ArrayList<>();
    answer.path("faq").forEach(q -> faq.add(new PageComponents.Question(q.path("question").asText().strip(),
        q.path("answer").asText().strip())));
    return new PageComponents(answer.path("title").asText().strip(), answer.path("meta_description").asText().strip(),
        paragraphs(answer.path("intro")), blocks, faq, "model");
  }

  private static List<String> paragraphs(JsonNode array) {
    List<String> paragraphs = new ArrayList<>();
    array.forEach(p -> paragraphs.add(p.asText().strip()));
    return paragraphs;
  }

  private static Map<String, String> values(PageBrief brief) {
    PageType type = brief.pageType();
    JsonNode context = brief.context();
    return Map.ofEntries(Map.entry("page_type", type.label()), Map.entry("subject", brief.subject()),
        Map.entry("keywords", String.join(", ", brief.keywords())), Map.entry("language", brief.language()),
        Map.entry("brand_voice", brief.brandVoice()), Map.entry("intro_words", String.valueOf(type.introWords)),
        Map.entry("block_words", String.valueOf(type.blockWords)), Map.entry("faq_count", String.valueOf(type.faqCount)),
        Map.entry("product_data", orNone(context.path("productData"))),
        Map.entry("seo_data", orNone(context.path("seoRequirements"))),
        Map.entry("target_page", targetPage(context.path("targetPage"))));
  }

  private static String orNone(JsonNode data) {
    return data.isObject() && data.size() > 0 ? data.toString() : "none given";
  }

  private static String targetPage(JsonNode page) {
    if (!"fetched".equals(page.path("status").asText())) {
      return "not available";
    }
    String text = page.path("text_excerpt").asText("");
    return "title \"" + page.path("title").asText("") + "\"; text: "
        + text.substring(0, Math.min(TARGET_PAGE_CHARS, text.length()));
  }
}
