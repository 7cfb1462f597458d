package io.planperfect.http;

import io.javalin.http.Context;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: this node's meters in Prometheus's text format, for the service key or the
 * metrics token ({@code PLANPERFECT_METRICS_TOKEN}); the anon key is refused.
 */
public final class MetricsRoutes implements RouteGroup {
  /** The service key, or the token that opens nothing but this route. */
  static final Set<Access> SCRAPERS = Set.of(Access.SERVICE, Access.METRICS);
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Supplier<String> scrape;

  public MetricsRoutes(Supplier<String> scrape) {
    this.scrape = scrape;
  }

  @Override
  public void addTo(RouteTable table) {
    table.section(Audience.METRICS).get("/metrics", SCRAPERS, "This node's meters in Prometheus's text format", this::metrics);
  }

  private void metrics(Context ctx) {
    ctx.contentType(CONTENT_TYPE).result(scrape.get());
  }
}
