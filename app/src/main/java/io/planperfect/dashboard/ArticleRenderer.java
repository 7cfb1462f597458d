package io.planperfect.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

/**
 * A job's article as HTML safe to show inside the dashboard: the markdown of its stage results
 * rendered by commonmark (or their HTML when there is no markdown), then cleaned by jsoup's relaxed
 * safelist, so no script, handler or style of the generated text reaches the page.
 */
final class ArticleRenderer {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(false).build();

  private ArticleRenderer() {}

  /** The article of a job's payloads ([{stage, data}]), newest stage first; null when none has one. */
  static String render(JsonNode payloads) {
    for (int i = payloads.size() - 1; i >= 0; i--) {
      JsonNode data = payloads.get(i).path("data");
      String markdown = text(data, "markdown", "content_markdown", "article_markdown");
      if (markdown != null) {
        return clean(RENDERER.render(PARSER.parse(markdown)));
      }
      String html = text(data, "html", "content_html", "body_html");
      if (html != null) {
        return clean(html);
      }
    }
    return null;
  }

  static String clean(String html) {
    return Jsoup.clean(html, Safelist.relaxed());
  }

  private static String text(JsonNode data, String... names) {
    for (String name : names) {
      JsonNode value = data.path(name);
      if (value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
    }
    return null;
  }
}
