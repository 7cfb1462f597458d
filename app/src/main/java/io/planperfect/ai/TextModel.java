package io.planperfect.ai;

/**
 * The seam every pipeline's stages call to have a model write text: one prompt in, the text and
 * the tokens it cost out. A provider's failure is thrown as {@link ModelFailure}, classified
 * (rate limited, unavailable, timed out, rejected) so the caller can wait, retry or give up.
 * Implementations are thread-safe and hold no per-job state.
 */
public interface TextModel {
  ModelReply complete(ModelPrompt prompt);

  /** The provider's name as configured ({@code openai}, {@code anthropic}, {@code ollama}, {@code groq}). */
  String provider();

  /** The model's name as the provider knows it. */
  String model();
}
