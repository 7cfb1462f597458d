package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import io.planperfect.stages.StageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generates the JSON-LD for the requested schema type. With a model, the answers of a FAQPage the
 * job gave no answers for are the model's ({@code prompts/schema/faq.v1.txt}) instead of the offline writer's.
 */
public final class SchemaGenerateStage implements CompletingStage {
  static final Prompt PROMPT = Prompt.load("schema/faq", "v1");
  private static final int MAX_TOKENS = 1200;
  private final StageModel model;

  public SchemaGenerateStage(StageModel model) {
    this.model = model;
  }

  public SchemaGenerateStage() {
    this(StageModel.offline());
  }

  @Override
  public ObjectNode result(StageContext context) {
    JsonNode research = SchemaJob.of(context).research();
    ObjectNode result = build(research);
    boolean answersGenerated = SchemaType.FAQ_PAGE.label.equals(result.path("schema_type").asText())
        && !(research.path("faq").isArray() && !research.path("faq").isEmpty());
    Optional<ModelSession> session = answersGenerated ? model.open(context) : Optional.empty();
    if (session.isPresent() && !result.path("json_ld").path("mainEntity").isEmpty()) {
      answer(session.get(), research, (ObjectNode) result.get("json_ld"));
      result.set("model", session.get().describe(PROMPT.id()));
    }
    return result;
  }

  private static void answer(ModelSession session, JsonNode research, ObjectNode jsonLd) {
    List<String> questions = new ArrayList<>();
    jsonLd.path("mainEntity").forEach(q -> questions.add(q.path("name").asText()));
    StringBuilder listed = new StringBuilder();
    for (int i = 0; i < questions.size(); i++) {
      listed.append(i + 1).append(". ").append(questions.get(i)).append('\n');
    }
    String answer = session.ask(PROMPT.id(), PROMPT.render(Map.of(
        "title", research.path("title").asText(research.path("name").asText("")),
        "keywords", String.join(", ", Json.textList(research.path("keywords"))),
        "questions", listed.toString().strip()), MAX_TOKENS));
    List<String> answers = answers(answer);
    if (answers.size() != questions.size()) {
      throw new IllegalStateException("the model answered " + answers.size() + " of " + questions.size()
          + " FAQ questions in the JSON asked for");
    }
    for (int i = 0; i < answers.size(); i++) {
      ((ObjectNode) jsonLd.get("mainEntity").get(i).get("acceptedAnswer")).put("text", answers.get(i));
    }
  }

  private static List<String> answers(String answer) {
    String text = answer.strip().replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    try {
      return Json.textList(new ObjectMapper().readTree(text).path("answers"));
    } catch (Exception e) {
      return List.of();
    }
  }

  static ObjectNode build(JsonNode research) {
    String requested = research.path("schema_type").asText(SchemaResearchStage.DEFAULT_TYPE);
    SchemaType type = SchemaType.parse(requested).orElseThrow(() -> new PermanentStageFailure(
        "unknown schema_type '" + requested + "'; supported types: " + SchemaType.labels()));
    ObjectNode result = Json.object();
    result.put("schema_type", type.label);
    result.set("json_ld", new JsonLdGenerator(research).generate(type));
    return result;
  }
}
