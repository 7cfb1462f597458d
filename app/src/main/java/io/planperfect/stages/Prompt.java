package io.planperfect.stages;

import io.planperfect.ai.ModelPrompt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's prompt, read from {@code prompts/<name>.<version>.txt} on the classpath: the system part,
 * a line {@code ---}, the user part, with {@code {{field}}} placeholders. Its {@link #id} (name and
 * version) is stored with the stage's result and with each call in the usage ledger; changing a
 * prompt's text means a new version file.
 */
public final class Prompt {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
  private static final String SEPARATOR = "\n---\n";

  private final String id;
  private final String system;
  private final String user;

  private Prompt(String id, String system, String user) {
    this.id = id;
    this.system = system;
    this.user = user;
  }

  public static Prompt load(String name, String version) {
    String resource = "prompts/" + name + "." + version + ".txt";
    try (InputStream in = Prompt.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("prompt resource " + resource + " is missing");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
      int split = text.indexOf(SEPARATOR);
      if (split < 0) {
        throw new IllegalStateException("prompt " + resource + " has no '---' line between its system and user parts");
      }
      return new Prompt(name + "@" + version, text.substring(0, split).strip(), text.substring(split + SEPARATOR.length()).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompt " + resource, e);
    }
  }

  /** {@code name@version}, e.g. {@code content/outline@v1}. */
  public String id() {
    return id;
  }

  /** The prompt with its placeholders filled; a placeholder without a value is an error. */
  public ModelPrompt render(Map<String, String> values, int maxOutputTokens) {
    return new ModelPrompt(fill(system, values), fill(user, values), maxOutputTokens);
  }

  private String fill(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("prompt " + id + " needs a value for {{" + matcher.group(1) + "}}");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
