package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;

/** Generates the JSON-LD for the requested schema type. */
public final class SchemaGenerateStage implements CompletingStage {

  @Override
  public ObjectNode result(StageContext context) {
    return build(SchemaJob.of(context).research());
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
