package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import io.planperfect.stages.PayloadFields;
import io.planperfect.stages.writer.Faq;
import io.planperfect.stages.writer.OfflineWriter;
import java.util.List;

/**
 * Builds the JSON-LD for one schema type from the normalised research result. It does not
 * invent required values (a Product without a name stays without one); validation reports them.
 */
final class JsonLdGenerator {
  private static final int GENERATED_ANSWER_WORDS = 30;
  private static final int GENERATED_STEP_WORDS = 20;

  private final JsonNode research;
  private final String title;
  private final List<String> keywords;

  JsonLdGenerator(JsonNode research) {
    this.research = research;
    this.title = research.path("title").asText();
    this.keywords = Json.textList(research.path("keywords"));
  }

  ObjectNode generate(SchemaType type) {
    return switch (type) {
      case ARTICLE, BLOG_POSTING -> article(type);
      case WEB_PAGE -> webPage();
      case PRODUCT -> product();
      case FAQ_PAGE -> faqPage();
      case HOW_TO -> howTo();
    };
  }

  private ObjectNode article(SchemaType type) {
    return new ArticleMarkup(type.label, title, field("description"), keywords, field("url"),
        field("domain"), null).toJsonLd();
  }

  private ObjectNode webPage() {
    ObjectNode jsonLd = base(SchemaType.WEB_PAGE);
    jsonLd.put("name", title);
    Json.putIfPresent(jsonLd, "description", field("description"));
    Json.putIfPresent(jsonLd, "url", field("url"));
    if (!keywords.isEmpty()) {
      jsonLd.put("keywords", String.join(", ", keywords));
    }
    return jsonLd;
  }

  private ObjectNode product() {
    ObjectNode jsonLd = base(SchemaType.PRODUCT);
    Json.putIfPresent(jsonLd, "name", field("name"));
    Json.putIfPresent(jsonLd, "description", field("description"));
    Json.putIfPresent(jsonLd, "url", field("url"));
    if (field("price") != null || field("currency") != null) {
      ObjectNode offer = jsonLd.putObject("offers").put("@type", "Offer");
      Json.putIfPresent(offer, "price", field("price"));
      Json.putIfPresent(offer, "priceCurrency", field("currency"));
      Json.putIfPresent(offer, "url", field("url"));
    }
    return jsonLd;
  }

  private ObjectNode faqPage() {
    ObjectNode jsonLd = base(SchemaType.FAQ_PAGE);
    ArrayNode questions = jsonLd.putArray("mainEntity");
    JsonNode given = research.path("faq");
    if (given.isArray() && !given.isEmpty()) {
      given.forEach(qa -> questions.add(question(qa.path("question").asText(), qa.path("answer").asText())));
    } else if (!keywords.isEmpty()) {
      OfflineWriter writer = writer();
      for (Faq faq : writer.faqQuestions(Math.max(2, Math.min(5, keywords.size())))) {
        questions.add(question(faq.question(), String.join(" ", writer.faqAnswer(faq, GENERATED_ANSWER_WORDS))));
      }
    }
    return jsonLd;
  }

  private ObjectNode howTo() {
    ObjectNode jsonLd = base(SchemaType.HOW_TO);
    jsonLd.put("name", title);
    Json.putIfPresent(jsonLd, "description", field("description"));
    ArrayNode steps = jsonLd.putArray("step");
    JsonNode given = research.path("steps");
    if (given.isArray() && !given.isEmpty()) {
      given.forEach(s -> addStep(steps, s.path("name").asText(), s.path("text").asText()));
    } else if (!keywords.isEmpty()) {
      OfflineWriter writer = writer();
      keywords.forEach(k -> addStep(steps, "Focus on " + k, String.join(" ", writer.body(k, GENERATED_STEP_WORDS))));
    }
    return jsonLd;
  }

  private static void addStep(ArrayNode steps, String name, String text) {
    steps.addObject()
        .put("@type", "HowToStep")
        .put("position", steps.size() + 1)
        .put("name", name)
        .put("text", text);
  }

  private static ObjectNode question(String question, String answer) {
    ObjectNode item = Json.object().put("@type", "Question").put("name", question);
    item.set("acceptedAnswer", Json.object().put("@type", "Answer").put("text", answer));
    return item;
  }

  private static ObjectNode base(SchemaType type) {
    return Json.object().put("@context", ArticleMarkup.CONTEXT).put("@type", type.label);
  }

  private OfflineWriter writer() {
    return new OfflineWriter(title, keywords, null, null);
  }

  private String field(String name) {
    return PayloadFields.text(research, name);
  }
}
