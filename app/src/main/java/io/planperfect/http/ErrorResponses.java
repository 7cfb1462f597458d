package io.planperfect.http;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer of the server in one JSON shape, {@code {error, message, field?}}: refusals
 * ({@link ApiError}, {@link InvalidField}), Javalin's own (an unknown path is {@code not_found}, a
 * known path with another method {@code method_not_allowed}), a database that is down (503 with
 * Retry-After) and anything unexpected (500, logged here, the answer naming nothing internal: no
 * stack, SQL or key).
 */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  static void register(JavalinConfig config) {
    config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
    config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors()));
    RoutesConfig routes = config.routes;
    routes.exception(ApiError.class, (e, ctx) -> send(ctx, e.status(), e.code(), e.getMessage(), e.field()));
    routes.exception(InvalidField.class, (e, ctx) -> send(ctx, 400, "invalid_request", e.getMessage(), e.field()));
    routes.exception(HttpResponseException.class, ErrorResponses::javalin);
    routes.exception(Exception.class, ErrorResponses::unexpected);
    routes.error(404, "*", ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        send(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path(), null);
      }
    });
  }

  static void send(Context ctx, int status, String code, String message, String field) {
    var body = Json.object().put("error", code).put("message", message);
    if (field != null) {
      body.put("field", field);
    }
    ctx.status(status).json(body);
  }

  /** Javalin's own refusals: 404, 405 (a path served for other methods), 413 and the like. */
  private static void javalin(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    switch (status) {
      case 404 -> send(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path(), null);
      case 405 -> send(ctx, 405, "method_not_allowed", "the path " + ctx.path() + " does not take " + ctx.method(), null);
      case 413 -> send(ctx, 413, "payload_too_large", "the request body is too large", "body");
      default -> send(ctx, status, status < 500 ? "invalid_request" : "internal_error",
          status < 500 ? "the request was refused (" + status + ")" : "the request failed on the server", null);
    }
  }

  private static void unexpected(Exception e, Context ctx) {
    if (DatabaseUnavailable.is(e)) {
      ctx.header("Retry-After", "5");
      send(ctx, 503, "unavailable", "the database is unavailable; retry shortly", null);
      return;
    }
    if (hasSqlState(e, "22021", "22P05")) {
      // why: text the database cannot store (a NUL byte in a path or query parameter) is the
      // client's mistake, wherever it is first noticed.
      send(ctx, 400, "invalid_request", "the request contains a character that cannot be stored (such as a NUL byte)", null);
      return;
    }
    log.error("request {} failed", describe(ctx), e);
    send(ctx, 500, "internal_error", "the request failed on the server", null);
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
      if (cause instanceof SQLException sql && List.of(states).contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
