package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;

/** Validates the generated markup; invalid markup fails the job for good, as a retry gives the same. */
public final class SchemaValidateStage implements CompletingStage {

  @Override
  public ObjectNode result(StageContext context) {
    return build(SchemaJob.of(context).generated());
  }

  static ObjectNode build(JsonNode generated) {
    String label = generated.path("schema_type").asText();
    SchemaType type = SchemaType.parse(label)
        .orElseThrow(() -> new PermanentStageFailure("unknown schema_type '" + label + "'"));
    JsonLdValidator.Report report = JsonLdValidator.validate(generated.path("json_ld"), type);
    if (!report.valid()) {
      throw new PermanentStageFailure(
          type.label + " markup is invalid: " + String.join("; ", report.errors()));
    }
    ObjectNode result = Json.object();
    result.put("valid", true);
    result.put("schema_type", type.label);
    result.set("errors", Json.strings(report.errors()));
    result.set("warnings", Json.strings(report.warnings()));
    return result;
  }
}
