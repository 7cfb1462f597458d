package io.planperfect.testing;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ProviderStub.Responder} that answers each content prompt as a model would, by the prompt's
 * own words: notes for research, an outline's JSON, a section of the asked length for draft (words
 * from a fixed vocabulary, no two sentences alike), a passing review for qa, FAQ answers for schema.
 * Tokens: a quarter of the characters in, a quarter out, as providers roughly count.
 */
public class ArticleWriterStub implements ProviderStub.Responder {
  private static final Pattern LENGTH = Pattern.compile("Length: about (\\d+) words");
  private static final Pattern QUESTION = Pattern.compile("(?m)^\\d+\\. ");
  private static final List<String> WORDS = List.of(
      "soil", "pots", "sun", "water", "leaf", "root", "seed", "plant", "green", "warm", "light", "shade", "wind",
      "rain", "feed", "grow", "trim", "stake", "tie", "pick", "ripe", "red", "small", "tall", "short", "fresh", "dry",
      "wet", "cool", "mild", "bright", "dark", "early", "late", "daily", "weekly", "check", "mix", "add", "keep",
      "move", "turn", "lift", "press", "sow", "thin", "mulch", "bloom", "fruit", "stem", "vine", "bush", "bed",
      "tray", "mesh", "net", "pest", "mite", "slug", "frost", "heat", "noon", "dawn", "dusk", "week", "month",
      "step", "plan", "note", "list", "task", "goal", "habit", "tool", "glove", "hose", "can", "jar", "box", "rail");

  @Override
  public ProviderStub.Answer apply(ProviderStub.Request request) {
    String system = request.system();
    String user = request.user();
    String text;
    if (system.contains("research assistant")) {
      text = "- Containers need drainage holes.\n- Tomatoes want six hours of sun.\n- Water at the base in the morning.";
    } else if (system.contains("You plan web articles")) {
      text = outline();
    } else if (system.contains("You write one section")) {
      Matcher length = LENGTH.matcher(user);
      text = section(length.find() ? Integer.parseInt(length.group(1)) : 100, user.hashCode());
    } else if (system.contains("editor reviewing")) {
      text = review(request);
    } else if (system.contains("frequently asked questions")) {
      long questions = QUESTION.matcher(user).results().count();
      StringBuilder answers = new StringBuilder("{\"answers\": [");
      for (int i = 0; i < questions; i++) {
        answers.append(i == 0 ? "" : ", ").append("\"Answer ").append(i + 1).append(" from the model.\"");
      }
      text = answers.append("]}").toString();
    } else {
      text = "I do not know this prompt.";
    }
    return new ProviderStub.Text(text, (system.length() + user.length()) / 4 + 1, text.length() / 4 + 1);
  }

  protected String outline() {
    return """
        {"sections": [
          {"heading": "Choosing Containers", "intent": "pick pots that drain", "keyword": "container gardening",
           "subsections": [{"heading": "Size and Drainage", "intent": "why size matters"}]},
          {"heading": "Picking Tomato Varieties", "intent": "match varieties to a balcony", "keyword": "tomato varieties",
           "subsections": []}],
         "faq": ["How often should balcony tomatoes be watered?", "Which tomato varieties suit pots?"]}""";
  }

  protected String review(ProviderStub.Request request) {
    return "{\"passed\": true, \"findings\": []}";
  }

  /** About {@code words} words in sentences of eight, none like another, keywords named once. */
  static String section(int words, int seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(sentence(random, 3, false))
        .append(" container gardening, tomato varieties and watering schedule ").append(sentence(random, 3, true)).append('.');
    int written = 14;
    while (written < words) {
      int length = Math.min(8, Math.max(3, words - written));
      text.append(' ').append(sentence(random, length, false)).append('.');
      written += length;
    }
    return text.toString();
  }

  private static String sentence(Random random, int length, boolean lowerFirst) {
    StringBuilder sentence = new StringBuilder();
    for (int i = 0; i < length; i++) {
      String word = WORDS.get(random.nextInt(WORDS.size()));
      sentence.append(i == 0 && !lowerFirst ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word)
          .append(i + 1 < length ? " " : "");
    }
    return sentence.toString();
  }
}
