package io.planperfect.http;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Concrete paths for the route table's templates, so a test can call every route without listing them. */
final class RoutePaths {
  static final List<String> BODY_METHODS = List.of("POST", "PUT", "PATCH");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private RoutePaths() {}

  /** The template with every {param} replaced by {@code value}. */
  static String fill(String template, String value) {
    return template.replaceAll("\\{[^}]+}", value);
  }

  /**
   * Where a walk over the route table sends {@code route}: plausible values, except that a DELETE names
   * nothing that exists (the auth matrix's service-key cell of {@code DELETE /api/v1/queues/content}
   * dropped the content queue under every test that ran after it).
   */
  static String probed(io.planperfect.http.Route route) {
    return route.method().name().equals("DELETE") ? fill(route.path(), "none") : plausible(route.path());
  }

  /** The template with plausible values: a fresh UUID for ids, a real queue and stage, a made-up name. */
  static String plausible(String template) {
    return template.replace("{id}", UUID.randomUUID().toString()).replace("{queue}", "content")
        .replace("{stage}", "research").replaceAll("\\{[^}]+}", "none");
  }

  /** A method the template's path is not served with, or null when it takes all five. */
  static String unservedMethod(String path, List<String> served) {
    return METHODS.stream().filter(m -> !served.contains(m + " " + path)).findFirst().orElse(null);
  }

  static Map<String, String> bearer(String key) {
    return Map.of("Authorization", "Bearer " + key);
  }
}
