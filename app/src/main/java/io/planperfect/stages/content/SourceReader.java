package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.fetch.FetchFailed;
import io.planperfect.fetch.FetchRefused;
import io.planperfect.fetch.FetchedPage;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.stages.Json;
import io.planperfect.stages.KeyPassages;
import io.planperfect.stages.PageContent;
import io.planperfect.stages.Text;
import java.util.List;

/**
 * Reads each source that has an address through the guarded fetcher: its title, headings, word count
 * and a few key passages for the job's keywords join the source. A source that cannot be read is
 * recorded as {@code unreachable} or {@code refused} with the reason, and the stage goes on.
 * {@link #RECORD_ONLY} lists the addresses without fetching them (a pipeline built without a fetcher).
 */
final class SourceReader {
  static final SourceReader RECORD_ONLY = new SourceReader(null);
  static final int MAX_FETCHED = 10;
  private static final int PASSAGES = 3;
  private static final int MAX_HEADINGS = 20;

  private final GuardedFetcher fetcher;

  SourceReader(GuardedFetcher fetcher) {
    this.fetcher = fetcher;
  }

  boolean fetches() {
    return fetcher != null;
  }

  /** Adds what was read to each source (in place); returns how many were read. */
  int read(ArrayNode sources, List<String> keywords) {
    int read = 0;
    int tried = 0;
    for (JsonNode item : sources) {
      ObjectNode source = (ObjectNode) item;
      String url = source.path("url").asText(null);
      if (url == null || fetcher == null) {
        continue;
      }
      if (tried++ >= MAX_FETCHED) {
        source.put("fetch_status", "not_fetched");
        source.put("fetch_error", "only the first " + MAX_FETCHED + " sources are read");
        continue;
      }
      read += readOne(source, url, keywords) ? 1 : 0;
    }
    return read;
  }

  private boolean readOne(ObjectNode source, String url, List<String> keywords) {
    try {
      FetchedPage page = fetcher.fetch(url);
      source.put("http_status", page.status());
      source.put("final_url", page.finalUrl());
      if (!page.ok()) {
        return unreachable(source, "unreachable", "HTTP " + page.status());
      }
      PageContent content = page.isHtml() ? PageContent.ofHtml(page.body(), page.finalUrl()) : PageContent.ofText(page.body());
      source.put("fetch_status", "read");
      if (!source.hasNonNull("title") && !content.title().isEmpty()) {
        source.put("title", content.title());
      }
      source.put("page_title", content.title());
      source.set("headings", Json.strings(content.headings().stream().limit(MAX_HEADINGS).map(PageContent.Heading::text).toList()));
      source.put("page_word_count", Text.wordCount(content.text()));
      source.set("key_passages", Json.strings(KeyPassages.pick(content.paragraphs(), keywords, PASSAGES)));
      return true;
    } catch (FetchRefused e) {
      return unreachable(source, "refused", e.getMessage());
    } catch (FetchFailed e) {
      return unreachable(source, "unreachable", e.getMessage());
    }
  }

  private static boolean unreachable(ObjectNode source, String status, String reason) {
    source.put("fetch_status", status);
    source.put("fetch_error", reason);
    return false;
  }
}
