package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.EarlierResults;

/** One schema job as a stage sees it, computing any earlier result that was not stored. */
final class SchemaJob {
  private final JsonNode payload;
  private final EarlierResults earlier;

  private SchemaJob(JsonNode payload, EarlierResults earlier) {
    this.payload = payload;
    this.earlier = earlier;
  }

  static SchemaJob of(StageContext context) {
    return new SchemaJob(context.jobPayload(), new EarlierResults(context.previousResults()));
  }

  JsonNode payload() {
    return payload;
  }

  JsonNode research() {
    return earlier.get("research", "schema_type", () -> SchemaResearchStage.build(payload));
  }

  JsonNode generated() {
    return earlier.get("generate", "json_ld", () -> SchemaGenerateStage.build(research()));
  }

  JsonNode validation() {
    return earlier.get("validate", "valid", () -> SchemaValidateStage.build(generated()));
  }
}
