package io.planperfect.stages.content;

import java.util.Locale;

/**
 * What a failed QA does, from the job's {@code qa_policy}: unset, {@code redraft} when a model is
 * configured (there is someone to redraft) and {@code continue} offline (the offline writer would
 * write the same text again).
 */
enum QaPolicy {
  CONTINUE, REDRAFT, FAIL;

  static final String FIELD = "qa_policy";

  static QaPolicy of(String requested, boolean modelConfigured) {
    if (requested == null) {
      return modelConfigured ? REDRAFT : CONTINUE;
    }
    return valueOf(requested.toUpperCase(Locale.ROOT));
  }

  static boolean known(String value) {
    for (QaPolicy policy : values()) {
      if (policy.label().equals(value)) {
        return true;
      }
    }
    return false;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
