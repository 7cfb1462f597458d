package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;

/** Summarises the finished schema job with the markup to publish. */
public final class SchemaCompleteStage implements CompletingStage {

  @Override
  public ObjectNode result(StageContext context) {
    SchemaJob job = SchemaJob.of(context);
    // why: a job started here never ran validate; computing it throws on invalid markup.
    JsonNode validation = job.validation();
    JsonNode generated = job.generated();
    ObjectNode summary = Json.object();
    summary.put("completed", true);
    summary.put("schema_type", generated.path("schema_type").asText());
    summary.set("json_ld", generated.path("json_ld").deepCopy());
    summary.set("warnings", validation.path("warnings"));
    return summary;
  }
}
