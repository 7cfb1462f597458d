package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.fetch.FetchOptions;
import io.planperfect.fetch.FetchedPage;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.PageContent;
import io.planperfect.stages.Text;

/**
 * wait_crawl: fetches the page through the guarded fetcher and stores what it says: HTTP status, final
 * URL, title, meta description, headings, text, blocks (for segmenting) and links. An answer that is not
 * a page (404, 500) fails the attempt (retried, then dead-lettered with the status); a time-out is
 * retried the same way; a refusal by rule dead-letters at once.
 */
final class WaitCrawlStage implements CompletingStage {
  static final int MAX_TEXT = 200_000;
  static final int MAX_LINKS = 200;

  private final GuardedFetcher fetcher;

  WaitCrawlStage(GuardedFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public ObjectNode result(StageContext context) {
    PageJob job = PageJob.of(context);
    JsonNode submitted = context.result("submit_crawl");
    String url = submitted != null && submitted.hasNonNull("url") ? submitted.get("url").asText() : job.url();
    FetchedPage page = fetcher.fetch(url, job.respectRobots() ? FetchOptions.PAGE : FetchOptions.PAGE_IGNORING_ROBOTS);
    if (!page.ok()) {
      throw new CrawlFailed("HTTP " + page.status() + " from " + page.finalUrl());
    }
    PageContent content = page.isHtml() ? PageContent.ofHtml(page.body(), page.finalUrl()) : PageContent.ofText(page.body());
    return stored(SubmitCrawlStage.crawlId(context.jobId()).toString(), page, content);
  }

  private static ObjectNode stored(String crawlId, FetchedPage page, PageContent content) {
    ObjectNode result = Json.object();
    result.put("crawl_id", crawlId);
    result.put("status", "completed");
    result.put("http_status", page.status());
    result.put("url", page.requestedUrl());
    result.put("final_url", page.finalUrl());
    result.set("redirects", Json.strings(page.redirects()));
    result.put("content_type", page.contentType());
    result.put("bytes", page.bytes());
    result.put("title", content.title());
    result.put("meta_description", content.metaDescription());
    ArrayNode headings = result.putArray("headings");
    content.headings().forEach(h -> headings.addObject().put("level", h.level()).put("text", h.text()));
    String text = content.text();
    result.put("text", text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT));
    result.put("word_count", Text.wordCount(text));
    ArrayNode blocks = result.putArray("blocks");
    content.blocks().forEach(b -> blocks.addObject().put("level", b.level()).put("text", b.text()));
    result.set("links", Json.strings(content.links().stream().limit(MAX_LINKS).toList()));
    return result;
  }
}
