package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import io.planperfect.stages.PayloadFields;
import io.planperfect.stages.Text;
import io.planperfect.stages.Urls;

/** Normalises the inputs of a schema markup job; later stages read only this result. */
public final class SchemaResearchStage implements CompletingStage {
  static final String DEFAULT_TYPE = "Article";

  @Override
  public ObjectNode result(StageContext context) {
    return build(context.jobPayload());
  }

  static ObjectNode build(JsonNode payload) {
    String title = PayloadFields.requiredText(payload, "title");
    String domain = PayloadFields.text(payload, "domain");
    ObjectNode research = Json.object();
    research.put("title", title);
    research.set("keywords", Json.strings(PayloadFields.strings(payload, "keywords")));
    research.put("domain", domain);
    research.put("url", pageUrl(payload, domain, title));
    research.put("schema_type", PayloadFields.textOr(payload, "schema_type", DEFAULT_TYPE));
    research.put("description", PayloadFields.text(payload, "description"));
    research.put("name", PayloadFields.text(payload, "name"));
    research.put("price", PayloadFields.text(payload, "price"));
    research.put("currency", PayloadFields.text(payload, "currency"));
    research.set("faq", faq(payload.path("faq")));
    research.set("steps", steps(payload.path("steps")));
    return research;
  }

  /** The given url, else one derived from the domain and the title's slug, else null. */
  private static String pageUrl(JsonNode payload, String domain, String title) {
    String url = PayloadFields.text(payload, "url");
    if (url != null || domain == null) {
      return url;
    }
    return Urls.page(domain, Text.slug(title));
  }

  /** Question and answer pairs; entries missing either part are dropped. */
  private static ArrayNode faq(JsonNode entries) {
    ArrayNode faq = Json.array();
    for (JsonNode entry : entries) {
      String question = PayloadFields.text(entry, "question");
      String answer = PayloadFields.text(entry, "answer");
      if (question != null && answer != null) {
        faq.addObject().put("question", question).put("answer", answer);
      }
    }
    return faq;
  }

  /** HowTo steps given as strings or as {name, text} objects. */
  private static ArrayNode steps(JsonNode entries) {
    ArrayNode steps = Json.array();
    for (JsonNode entry : entries) {
      String text = entry.isObject() ? PayloadFields.text(entry, "text") : entry.asText().trim();
      if (text != null && !text.isEmpty()) {
        String name = entry.isObject() ? PayloadFields.text(entry, "name") : null;
        steps.addObject().put("name", name == null ? text : name).put("text", text);
      }
    }
    return steps;
  }
}
