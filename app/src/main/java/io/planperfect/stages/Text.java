package io.planperfect.stages;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain-text helpers shared by the stages: word counting, slugs and casing. */
public final class Text {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
  private static final Set<String> SMALL_WORDS =
      Set.of("a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to",
          "with", "vs");

  private Text() {}

  /** The words of a text: runs of letters or digits, with inner apostrophes and hyphens. */
  public static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher matcher = WORD.matcher(text == null ? "" : text);
    while (matcher.find()) {
      words.add(matcher.group());
    }
    return words;
  }

  public static int wordCount(String text) {
    int count = 0;
    Matcher matcher = WORD.matcher(text == null ? "" : text);
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  /** Lower-case ASCII words joined by hyphens, e.g. "Café Tips!" becomes "cafe-tips". */
  public static String slug(String text) {
    String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return slug.replaceAll("(^-+|-+$)", "");
  }

  /** Lower case with single spaces, for comparing phrases. */
  public static String normalise(String text) {
    return text.trim().replace('’', '\'').replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  public static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** Lower-cases the first letter unless the first word looks like an acronym ("SEO"). */
  public static String decapitalise(String text) {
    if (text.length() < 2 || Character.isUpperCase(text.charAt(1))) {
      return text;
    }
    return Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }

  /** Headline case: every word capitalised except short joining words after the first. */
  public static String titleCase(String text) {
    String[] parts = text.trim().split("\\s+");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean small = i > 0 && SMALL_WORDS.contains(part.toLowerCase(Locale.ROOT));
      out.append(i == 0 ? "" : " ").append(small ? part.toLowerCase(Locale.ROOT) : capitalise(part));
    }
    return out.toString();
  }
}
