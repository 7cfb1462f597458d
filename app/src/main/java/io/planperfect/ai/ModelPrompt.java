package io.planperfect.ai;

import java.util.Objects;

/** One request: the system instructions, the user message, and the most output tokens wanted. */
public record ModelPrompt(String system, String user, int maxOutputTokens) {
  public ModelPrompt {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(user, "user");
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be at least 1, got " + maxOutputTokens);
    }
  }
}
