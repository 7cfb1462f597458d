package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import java.util.ArrayList;
import java.util.List;

/** A page's written parts: title, meta description, intro, body blocks and FAQ, and who wrote them. */
public record PageComponents(String title, String metaDescription, List<String> intro, List<Block> blocks,
    List<Question> faq, String writer) {

  public record Block(String heading, List<String> paragraphs) {}

  public record Question(String question, String answer) {}

  ObjectNode toJson() {
    ObjectNode json = Json.object().put("title", title).put("meta_description", metaDescription);
    json.set("intro", Json.strings(intro));
    ArrayNode blockArray = json.putArray("body_blocks");
    blocks.forEach(b -> blockArray.addObject().put("heading", b.heading()).set("paragraphs", Json.strings(b.paragraphs())));
    ArrayNode faqArray = json.putArray("faq");
    faq.forEach(q -> faqArray.addObject().put("question", q.question()).put("answer", q.answer()));
    json.put("writer", writer);
    return json;
  }

  static PageComponents fromJson(JsonNode json) {
    List<Block> blocks = new ArrayList<>();
    json.path("body_blocks").forEach(b -> blocks.add(new Block(b.path("heading").asText(), Json.textList(b.path("paragraphs")))));
    List<Question> faq = new ArrayList<>();
    json.path("faq").forEach(q -> faq.add(new Question(q.path("question").asText(), q.path("answer").asText())));
    return new PageComponents(json.path("title").asText(), json.path("meta_description").asText(),
        Json.textList(json.path("intro")), blocks, faq, json.path("writer").asText());
  }
}
