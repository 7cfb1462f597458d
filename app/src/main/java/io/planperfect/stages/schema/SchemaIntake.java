package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;

/**
 * A schema job's payload: {@code title} required; {@code keywords} (1 to 50 strings),
 * {@code domain}, {@code url} and {@code schema_type} optional. Other fields are kept for the stages.
 */
public final class SchemaIntake implements IntakeRules {
  static final int MAX_KEYWORDS = 50;

  @Override
  public ObjectNode validate(ObjectNode payload) {
    Fields.requiredText(payload, "title", "payload.title");
    Fields.optionalStrings(payload, "keywords", "payload.keywords", 1, MAX_KEYWORDS);
    Fields.optionalText(payload, "domain", "payload.domain");
    Fields.optionalText(payload, "url", "payload.url", 2_048);
    Fields.optionalText(payload, "schema_type", "payload.schema_type");
    return payload;
  }
}
