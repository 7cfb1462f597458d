package io.planperfect.stages.content;

/** What the content prompts say when the job leaves a field out. */
final class ContentPrompts {
  private ContentPrompts() {}

  static String audience(ArticleInputs inputs) {
    return inputs.audience() == null ? "general readers" : inputs.audience();
  }

  static String tone(ArticleInputs inputs) {
    return inputs.tone() == null ? "clear, friendly" : inputs.tone();
  }

  static String keywords(ArticleInputs inputs) {
    return String.join(", ", inputs.keywords());
  }
}
