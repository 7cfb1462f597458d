package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;

/**
 * The page at a job's targetUrl as context-building saw it: {@code fetched} with its title and
 * text, {@code unreachable} with the reason, or {@code not_fetched} (no fetcher configured).
 */
public record TargetPage(String url, String status, String title, String text, String reason) {
  public static TargetPage fetched(String url, String title, String text) {
    return new TargetPage(url, "fetched", title, text, null);
  }

  public static TargetPage unreachable(String url, String reason) {
    return new TargetPage(url, "unreachable", null, null, reason);
  }

  public static TargetPage notFetched(String url, String reason) {
    return new TargetPage(url, "not_fetched", null, null, reason);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.object().put("url", url).put("status", status);
    Json.putIfPresent(json, "title", title);
    Json.putIfPresent(json, "text_excerpt", text == null ? null : text.substring(0, Math.min(1_000, text.length())));
    Json.putIfPresent(json, "reason", reason);
    return json;
  }
}
