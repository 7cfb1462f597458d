package io.planperfect.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: one route table ({@link RouteTable}, filled by the route groups), one key check,
 * one exception-to-status map. Every error is a JSON body {error, message, field?}; nothing
 * internal (stack, SQL, key) is ever sent back.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** The request attribute holding the caller's {@link Access} once its key is checked. */
  static final String ACCESS_ATTRIBUTE = "planperfect.access";

  private final Javalin app;
  private final ApiKeys keys;
  private final Sessions sessions;
  private final RouteTable table;
  private final WebSite site;
  private final RequestMetrics requests;

  public ApiServer(ApiKeys keys, Sessions sessions, RouteTable table, WebSite site) {
    this(keys, sessions, table, site, null);
  }

  /** As above, timing every request into {@code meters} by method, route template and status (none when null). */
  public ApiServer(ApiKeys keys, Sessions sessions, RouteTable table, WebSite site, MeterRegistry meters) {
    this.requests = meters == null ? null : new RequestMetrics(meters);
    this.keys = keys;
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
    var routes = config.routes;
    routes.beforeMatched(this::authorize);
    table.registerOn(routes);
    // why here: the API's documentation page and the dashboard both load their browser libraries from webjars
    config.staticFiles.enableWebjars();
    site.configure(config);
    routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(), e.field()));
    routes.exception(InvalidField.class, (e, ctx) -> error(ctx, 400, "invalid_request", e.getMessage(), e.field()));
    routes.exception(Exception.class, this::unexpected);
    routes.error(404, "*", ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path(), null);
      }
    });
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
    ctx.attribute(ACCESS_ATTRIBUTE, access.get());
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

  private void unexpected(Exception e, Context ctx) {
    if (DatabaseUnavailable.is(e)) {
      ctx.header("Retry-After", "5");
      error(ctx, 503, "unavailable", "the database is unavailable; retry shortly", null);
      return;
    }
    if (hasSqlState(e, "22021", "22P05")) {
      // why: text the database cannot store (a NUL byte in a path or query parameter) is the
      // client's mistake, wherever it is first noticed.
      error(ctx, 400, "invalid_request", "the request contains a character that cannot be stored (such as a NUL byte)", null);
      return;
    }
    log.error("request {} failed", describe(ctx), e);
    error(ctx, 500, "internal_error", "the request failed on the server", null);
  }

  /** The request's method and path, or a note that it is gone (a stream's request ended before its error). */
  private static String describe(Context ctx) {
    try {
      return ctx.method() + " " + ctx.path();
    } catch (RuntimeException e) {
      return "(request already ended)";
    }
  }

  private static boolean hasSqlState(Throwable e, String... states) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLException sql && java.util.List.of(states).contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static void error(Context ctx, int status, String code, String message, String field) {
    var body = Json.object().put("error", code).put("message", message);
    if (field != null) {
      body.put("field", field);
    }
    ctx.status(status).json(body);
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
