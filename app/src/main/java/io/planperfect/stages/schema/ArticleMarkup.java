package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import io.planperfect.stages.Urls;
import java.util.List;

/**
 * The schema.org JSON-LD of an article-like page (Article or BlogPosting). Optional parts are
 * null and then left out.
 */
public record ArticleMarkup(
    String type,
    String headline,
    String description,
    List<String> keywords,
    String url,
    String domain,
    Integer wordCount) {

  public static final String CONTEXT = "https://schema.org";

  public ObjectNode toJsonLd() {
    ObjectNode jsonLd = Json.object();
    jsonLd.put("@context", CONTEXT);
    jsonLd.put("@type", type);
    jsonLd.put("headline", headline);
    Json.putIfPresent(jsonLd, "description", description);
    if (!keywords.isEmpty()) {
      jsonLd.put("keywords", String.join(", ", keywords));
      jsonLd.set("about", topics());
    }
    if (url != null) {
      jsonLd.put("url", url);
      jsonLd.set("mainEntityOfPage", Json.object().put("@type", "WebPage").put("@id", url));
    }
    if (domain != null) {
      jsonLd.set("publisher", Json.object()
          .put("@type", "Organization")
          .put("name", domain)
          .put("url", Urls.siteRoot(domain)));
    }
    if (wordCount != null) {
      jsonLd.put("wordCount", wordCount);
    }
    return jsonLd;
  }

  private ArrayNode topics() {
    ArrayNode about = Json.array();
    keywords.forEach(keyword -> about.addObject().put("@type", "Thing").put("name", keyword));
    return about;
  }
}
