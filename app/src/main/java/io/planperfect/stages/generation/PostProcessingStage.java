package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import java.net.URI;
import java.util.Locale;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The page's final forms: markdown and HTML (CommonMark), a slug (the targetUrl's last path
 * segment, else the title's), internal link placeholders (one per keyword, {@code [[link:slug]]}
 * entries for the site's renderer to resolve) and schema.org JSON-LD for the page type, with its FAQ.
 */
final class PostProcessingStage implements CompletingStage {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).build();

  private final ComponentWriter writer;
  private final TargetPageSource pages;

  PostProcessingStage(ComponentWriter writer, TargetPageSource pages) {
    this.writer = writer;
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) {
    GenerationJob job = new GenerationJob(context, writer, pages);
    ObjectNode result = build(job.request(), job.assembled());
    result.set("json_ld", jsonLd(job.request(), job.assembled(), PageComponents.fromJson(job.components())));
    return result;
  }

  static ObjectNode build(GenerationRequest request, JsonNode assembled) {
    String markdown = assembled.path("markdown").asText();
    ObjectNode result = Json.object();
    result.put("slug", slug(request.targetUrl(), assembled.path("title").asText()));
    result.put("markdown", markdown);
    result.put("html", RENDERER.render(PARSER.parse(markdown)));
    ArrayNode links = result.putArray("internal_links");
    for (String keyword : request.keywords()) {
      links.addObject().put("anchor", keyword).put("placeholder", "[[link:" + Text.slug(keyword) + "]]");
    }
    return result;
  }

  static String slug(String targetUrl, String title) {
    try {
      String path = URI.create(targetUrl).getPath();
      if (path != null) {
        String[] parts = path.split("/");
        String last = parts.length == 0 ? "" : Text.slug(parts[parts.length - 1]);
        if (!last.isEmpty()) {
          return last;
        }
      }
    } catch (IllegalArgumentException e) {
      // why: intake checked the URL; a hand-edited payload falls back to the title
    }
    return Text.slug(title);
  }

  static ObjectNode jsonLd(GenerationRequest request, JsonNode assembled, PageComponents parts) {
    ObjectNode page = Json.object().put("@context", "https://schema.org").put("@type", request.pageType().schemaType);
    String nameField = request.pageType() == PageType.BLOG ? "headline" : "name";
    page.put(nameField, parts.title());
    page.put("description", parts.metaDescription());
    page.put("url", request.targetUrl());
    page.put("inLanguage", request.language().toLowerCase(Locale.ROOT));
    JsonNode product = request.productData();
    if (request.pageType() == PageType.PRODUCT) {
      Json.putIfPresent(page, "sku", product.path("sku").asText(null));
      Json.putIfPresent(page, "brand", product.path("brand").asText(null));
      if (product.hasNonNull("price")) {
        page.putObject("offers").put("@type", "Offer").put("price", product.get("price").asText())
            .put("priceCurrency", product.path("currency").asText("USD"));
      }
    }
    ObjectNode faq = Json.object().put("@type", "FAQPage");
    ArrayNode questions = faq.putArray("mainEntity");
    parts.faq().forEach(q -> questions.addObject().put("@type", "Question").put("name", q.question())
        .putObject("acceptedAnswer").put("@type", "Answer").put("text", q.answer()));
    ArrayNode graph = Json.array();
    graph.add(page);
    if (!parts.faq().isEmpty()) {
      graph.add(faq);
    }
    return Json.object().put("@context", "https://schema.org").set("@graph", graph);
  }
}
