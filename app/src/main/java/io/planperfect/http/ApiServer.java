package io.planperfect.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP server: one route table ({@link RouteTable}, filled by the route groups), one key check,
 * one rate limit per key ({@link RateLimiter}), one exception-to-status map ({@link ErrorResponses}).
 * Every error is a JSON body {error, message, field?}; nothing internal (stack, SQL, key) is ever
 * sent back.
 */
public final class ApiServer implements AutoCloseable {
  /** The context attribute holding the caller's {@link Access} once the key check let it through. */
  static final String ACCESS = "planperfect.access";
  private static final Set<HandlerType> SERVED_METHODS =
      Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  private final Javalin app;
  private final ApiKeys keys;
  private final Sessions sessions;
  private final RouteTable table;
  private final WebSite site;
  private final RequestMetrics requests;
  private final RateLimiter limiter;

  /**
   * Timing every request into {@code meters} by method, route template and status (none when null),
   * and admitting each keyed request through {@code limiter}.
   */
  public ApiServer(ApiKeys keys, Sessions sessions, RouteTable table, WebSite site, MeterRegistry meters, RateLimiter limiter) {
    this.requests = meters == null ? null : new RequestMetrics(meters);
    this.keys = keys;
    this.limiter = limiter;
    this.sessions = sessions;
    this.table = table;
    this.site = site;
    this.app = Javalin.create(this::configure);
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = JsonBody.MAX_BYTES;
    if (requests != null) {
      config.requestLogger.http(requests::record);
    }
    // why: a known path called with another method is told so (405), not that the path is unknown
    config.http.prefer405over404 = true;
    var routes = config.routes;
    routes.beforeMatched(this::authorize);
    table.registerOn(routes);
    // why here: the API's documentation page and the dashboard both load their browser libraries from webjars
    config.staticFiles.enableWebjars();
    site.configure(config);
    routes.after(UnreadBodies::drain);
    ErrorResponses.register(config);
  }

  public ApiServer start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  /** Every route this server serves. */
  public List<Route> routes() {
    return table.routes();
  }

  /**
   * Every method and path the server answers, the dashboard's pages included (the API's are
   * {@link #routes()}): what the tests walk so that a new route is covered without being listed.
   */
  public List<String> served() {
    return app.unsafe.internalRouter.allHttpHandlers().stream().map(e -> e.endpoint)
        .filter(e -> SERVED_METHODS.contains(e.method)).map(e -> e.method.name() + " " + e.path).distinct().toList();
  }

  private void authorize(Context ctx) {
    var allowed = ctx.routeRoles();
    if (allowed.isEmpty()) {
      return;
    }
    Optional<Access> access = keys.accessOf(bearer(ctx.header("Authorization")));
    if (access.isEmpty() && ctx.header("Authorization") == null && acceptsSession(ctx)) {
      access = sessions.verify(ctx.cookie(Sessions.COOKIE)).map(Sessions.Session::access);
    }
    if (access.isEmpty()) {
      throw new ApiError(401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)", null);
    }
    if (!allowed.contains(access.get())) {
      throw new ApiError(403, "forbidden", "this route needs the service key", null);
    }
    ctx.attribute(ACCESS, access.get());
    limiter.admit(ctx, access.get());
  }

  /**
   * The event streams also take the dashboard's session cookie: a browser's EventSource cannot send
   * an Authorization header. They are GET and change nothing, so no CSRF token is needed, and the
   * cookie is SameSite=Strict.
   */
  private static boolean acceptsSession(Context ctx) {
    var matched = ctx.endpoints().matchedHttpEndpoint();
    return io.javalin.http.HandlerType.GET.equals(ctx.method()) && matched != null && matched.path.endsWith("/stream");
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  @Override
  public void close() {
    app.stop();
  }
}
