package io.planperfect.http;

import java.util.List;

/**
 * Who a route is for, told by its path. Each route group serves one audience; events and a
 * dashboard will be audiences of their own.
 */
public enum Audience {
  /** The paths the seed's clients call, kept as the seed has them. */
  SEED_COMPATIBLE("/functions/v1/", "/rest/v1/"),
  /** The versioned API. */
  API_V1("/api/v1/"),
  /** Probes of load balancers and operators. */
  HEALTH("/health"),
  /** The API's documentation page (its document is {@code /api/v1/openapi.json}). */
  DOCS("/api/docs"),
  /** Prometheus's scrape of this node's meters. */
  METRICS("/metrics");

  private final List<String> prefixes;

  Audience(String... prefixes) {
    this.prefixes = List.of(prefixes);
  }

  public List<String> prefixes() {
    return prefixes;
  }

  boolean owns(String path) {
    return prefixes.stream().anyMatch(path::startsWith);
  }
}
