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
  private static final Duration[] BUCKETS = java.util.stream.DoubleStream.of(
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
      .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
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
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(Duration.ofNanos(Math.round(millis * 1_000_000d)));
  }
}
