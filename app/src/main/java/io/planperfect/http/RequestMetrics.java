package io.planperfect.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Every request the server answered, by method, route template ({@code /api/v1/jobs/{id}}, never the
 * raw path, so a job id does not become a series) and status, with its time. A request no route
 * matched (a 404, a static file) counts under {@code route="unmatched"}.
 */
final class RequestMetrics {
  static final String UNMATCHED = "unmatched";
  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(Context ctx, Float millis) {
    var matched = ctx.endpoints().matchedHttpEndpoint();
    Timer.builder("planperfect.http.requests")
        .description("HTTP requests answered by this node, by method, route template and status")
        .tags("method", ctx.method().name(), "route", matched == null ? UNMATCHED : matched.path,
            "status", Integer.toString(ctx.statusCode()))
        .register(registry)
        .record(Duration.ofNanos(Math.round(millis * 1_000_000d)));
  }
}
