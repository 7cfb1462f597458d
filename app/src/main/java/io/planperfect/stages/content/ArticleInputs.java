package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.stages.PayloadFields;
import io.planperfect.stages.writer.OfflineWriter;
import java.util.List;

/** The article job's inputs, read once from the payload and checked. */
record ArticleInputs(
    String title,
    List<String> keywords,
    String domain,
    String audience,
    String tone,
    int wordCount,
    JsonNode sources,
    List<String> bannedPhrases,
    String qaPolicy) {

  static final int DEFAULT_WORD_COUNT = 1200;
  static final int MIN_WORD_COUNT = 100;
  static final int MAX_WORD_COUNT = 10_000;

  static ArticleInputs from(JsonNode payload) {
    String title = PayloadFields.requiredText(payload, "title");
    List<String> keywords = PayloadFields.strings(payload, "keywords");
    if (keywords.isEmpty()) {
      throw new PermanentStageFailure("keywords must contain at least one non-blank keyword");
    }
    int wordCount = PayloadFields.intOr(payload, "word_count", DEFAULT_WORD_COUNT);
    if (wordCount < MIN_WORD_COUNT || wordCount > MAX_WORD_COUNT) {
      throw new PermanentStageFailure(
          "word_count must be between " + MIN_WORD_COUNT + " and " + MAX_WORD_COUNT + ", got " + wordCount);
    }
    return new ArticleInputs(
        title,
        keywords,
        PayloadFields.text(payload, "domain"),
        PayloadFields.text(payload, "audience"),
        PayloadFields.text(payload, "tone"),
        wordCount,
        payload.get("sources"),
        PayloadFields.strings(payload, "banned_phrases"),
        qaPolicy(PayloadFields.text(payload, QaPolicy.FIELD)));
  }

  private static String qaPolicy(String value) {
    if (value != null && !QaPolicy.known(value)) {
      throw new PermanentStageFailure("qa_policy must be continue, redraft or fail, got '" + value + "'");
    }
    return value;
  }

  /** A fresh writer: it tracks the sentences of one document, so never share it between two. */
  OfflineWriter writer() {
    return new OfflineWriter(title, keywords, tone, audience);
  }
}
