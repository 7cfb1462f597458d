package io.planperfect.stages.generation;

import io.planperfect.testing.ProviderStub;

/** A stub model's answers to the generation prompts, for {@link ProviderStub}. */
public final class GenerationStubAnswers {
  private GenerationStubAnswers() {}

  /** The stub model's answer to the components prompt: a category page on garden tools, three FAQ entries. */
  public static ProviderStub.Answer components(ProviderStub.Request request) {
    if (!request.system().contains("You write the components of one web page")) {
      return new ProviderStub.Text("I do not know this prompt.", 10, 5);
    }
    String text = """
        {"title": "Garden Tools Chosen to Last",
         "meta_description": "Garden tools and pruning shears picked for daily work, with care tips and honest advice.",
         "intro": ["Good garden tools make every task lighter. This range gathers spades, rakes and pruning shears that \
           we use ourselves. Each one is built from steel that keeps its edge and wood that feels warm in the hand."],
         "body_blocks": [
           {"heading": "Garden Tools for Every Bed", "paragraphs": ["Start with a spade, a fork and a rake. These garden \
             tools turn soil, lift roots and level a bed in one morning. Clean them after use and hang them dry."]},
           {"heading": "Pruning Shears That Stay Sharp", "paragraphs": ["Bypass pruning shears cut live stems cleanly. \
             Anvil models crush dead wood with less effort. Oil the spring each month and the blades will last for years."]}],
         "faq": [
           {"question": "Which garden tools come first?", "answer": "A spade, a fork and a rake cover most jobs."},
           {"question": "How do I sharpen pruning shears?", "answer": "Use a fine file along the bevel, then oil it."},
           {"question": "Do you ship tools abroad?", "answer": "Yes, to most countries within a week."}]}""";
    return new ProviderStub.Text(text, (request.system().length() + request.user().length()) / 4 + 1, text.length() / 4 + 1);
  }
}
