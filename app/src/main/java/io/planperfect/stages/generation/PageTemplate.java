package io.planperfect.stages.generation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A page type's markdown template, a resource file {@code generation/templates/<type>.md} with
 * the placeholders {@code {{title}}}, {@code {{subject}}}, {@code {{intro}}}, {@code {{blocks}}}
 * and {@code {{faq}}}. Placeholders of the form {@code [[name:value]]} are left for the page's
 * renderer (calls to action, product grids, related posts).
 */
final class PageTemplate {
  private static final Map<PageType, String> TEMPLATES = new EnumMap<>(PageType.class);

  static {
    for (PageType type : PageType.values()) {
      TEMPLATES.put(type, load("/generation/templates/" + type.label() + ".md"));
    }
  }

  private PageTemplate() {}

  static String render(PageType type, String subject, PageComponents parts) {
    String blocks = parts.blocks().stream()
        .map(b -> "## " + b.heading() + "\n\n" + String.join("\n\n", b.paragraphs()))
        .collect(Collectors.joining("\n\n"));
    String faq = parts.faq().stream()
        .map(q -> "### " + q.question() + "\n\n" + q.answer())
        .collect(Collectors.joining("\n\n"));
    return TEMPLATES.get(type)
        .replace("{{title}}", parts.title())
        .replace("{{subject}}", subject)
        .replace("{{intro}}", String.join("\n\n", parts.intro()))
        .replace("{{blocks}}", blocks)
        .replace("{{faq}}", faq)
        .strip() + "\n";
  }

  private static String load(String resource) {
    try (InputStream in = PageTemplate.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing template resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
