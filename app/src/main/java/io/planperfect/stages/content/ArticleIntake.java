package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;

/**
 * Seed 001's article payload: {@code title} and {@code keywords} required, {@code domain} and a
 * {@code word_count} of 100 to 10,000 optional. Other fields are kept for the stages.
 */
public final class ArticleIntake implements IntakeRules {
  public static final int MIN_WORD_COUNT = 100;
  public static final int MAX_WORD_COUNT = 10_000;
  public static final int MAX_KEYWORDS = 50;

  @Override
  public ObjectNode validate(ObjectNode payload) {
    Fields.requiredText(payload, "title", "payload.title");
    if (Fields.optionalStrings(payload, "keywords", "payload.keywords", 1, MAX_KEYWORDS) == null) {
      throw new InvalidField("payload.keywords", "payload.keywords is required");
    }
    Fields.optionalText(payload, "domain", "payload.domain");
    Fields.optionalInt(payload, "word_count", "payload.word_count", 0, MIN_WORD_COUNT, MAX_WORD_COUNT);
    return payload;
  }
}
