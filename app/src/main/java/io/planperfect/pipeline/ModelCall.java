package io.planperfect.pipeline;

import java.util.Objects;

/**
 * One model call a stage made, as the usage ledger ({@code llm_calls}) stores it: which provider,
 * model and prompt, the tokens the provider counted, how long it took, and how it ended ({@code ok},
 * {@code rate_limited}, {@code unavailable}, {@code timeout}, {@code rejected}, {@code invalid_output}).
 * The error is a message with no API key in it, or null.
 */
public record ModelCall(String provider, String model, String promptVersion, long inputTokens, long outputTokens,
    long latencyMillis, String outcome, String error) {
  public ModelCall {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(outcome, "outcome");
  }
}
