package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import io.planperfect.stages.Urls;
import io.planperfect.stages.schema.ArticleMarkup;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** Renders the draft to HTML and shapes it for WordPress, Shopify and schema.org. */
public final class ExportStage implements CompletingStage {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().build();

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    return build(job.inputs(), job.finalDraft());
  }

  static ObjectNode build(ArticleInputs inputs, JsonNode draft) {
    String markdown = draft.path("markdown").asText();
    String html = render(markdown);
    // why: both platforms print the title themselves, so their bodies leave out the H1.
    String bodyHtml = render(withoutTitle(markdown));
    String slug = Text.slug(inputs.title());
    String excerpt = draft.path("meta_description").asText(inputs.writer().metaDescription());

    ObjectNode export = Json.object();
    export.put("html", html);
    export.put("slug", slug);
    export.set("wordpress", Json.object()
        .put("title", inputs.title())
        .put("content", bodyHtml)
        .put("excerpt", excerpt)
        .put("status", "draft")
        .put("slug", slug));
    export.set("shopify", Json.object()
        .put("title", inputs.title())
        .put("body_html", bodyHtml)
        .put("handle", slug)
        .put("tags", String.join(", ", inputs.keywords())));
    export.set("schema_org", articleMarkup(inputs, slug, excerpt, Text.wordCount(markdown)));
    export.set("images", imagePlaceholders(inputs.title(), MarkdownDoc.parse(markdown)));
    return export;
  }

  static String render(String markdown) {
    return RENDERER.render(PARSER.parse(markdown));
  }

  private static String withoutTitle(String markdown) {
    return markdown.replaceFirst("\\A\\s*# [^\\n]*\\n+", "");
  }

  private static ObjectNode articleMarkup(ArticleInputs inputs, String slug, String description, int words) {
    String url = inputs.domain() == null ? null : Urls.page(inputs.domain(), slug);
    return new ArticleMarkup("Article", inputs.title(), description, inputs.keywords(), url,
        inputs.domain(), words).toJsonLd();
  }

  /** One image slot per H2 section, with alt text naming the section and the article. */
  private static ArrayNode imagePlaceholders(String title, MarkdownDoc doc) {
    ArrayNode images = Json.array();
    for (String section : doc.headingTexts(2)) {
      images.addObject().put("section", section).put("alt", section + " – illustration for " + title);
    }
    return images;
  }
}
