package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;

/**
 * Seed 001's article payload: {@code title} and {@code keywords} required, {@code domain} and a
 * {@code word_count} of 100 to 10,000, {@code qa_policy} (continue, redraft, fail) and a model spend
 * cap {@code max_cost_usd} optional. Other fields are kept for the stages.
 */
public final class ArticleIntake implements IntakeRules {
  public static final int MIN_WORD_COUNT = 100;
  public static final int MAX_WORD_COUNT = 10_000;
  public static final int MAX_KEYWORDS = 50;
  /** The job's model spend cap, read by the usage ledger's admission ({@code admit_llm_call}). */
  public static final String MAX_COST_FIELD = "max_cost_usd";
  public static final double MAX_COST_USD = 100_000;

  @Override
  public ObjectNode validate(ObjectNode payload) {
    Fields.requiredText(payload, "title", "payload.title");
    if (Fields.optionalStrings(payload, "keywords", "payload.keywords", 1, MAX_KEYWORDS) == null) {
      throw new InvalidField("payload.keywords", "payload.keywords is required");
    }
    Fields.optionalText(payload, "domain", "payload.domain");
    Fields.optionalInt(payload, "word_count", "payload.word_count", 0, MIN_WORD_COUNT, MAX_WORD_COUNT);
    String policy = Fields.optionalText(payload, QaPolicy.FIELD, "payload." + QaPolicy.FIELD);
    if (policy != null && !QaPolicy.known(policy)) {
      throw new InvalidField("payload.qa_policy", "payload.qa_policy must be continue, redraft or fail");
    }
    if (payload.has(MAX_COST_FIELD) && !payload.get(MAX_COST_FIELD).isNull()) {
      JsonNode cap = payload.get(MAX_COST_FIELD);
      if (!cap.isNumber() || cap.asDouble() <= 0 || cap.asDouble() > MAX_COST_USD) {
        throw new InvalidField("payload.max_cost_usd", "payload.max_cost_usd must be a number above 0 and at most " + MAX_COST_USD);
      }
    }
    return payload;
  }
}
