package io.planperfect.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobReads;
import io.planperfect.engine.NewJob;
import io.planperfect.engine.Pipelines;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueAdmin;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: one route table, one key check, one exception-to-status map. Every error is a
 * JSON body {error, message, field?}; nothing internal (stack, SQL, key) is ever sent back.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;
  private final ApiKeys keys;
  private final Intake intake;
  private final IntakeRequestParser intakeParser;
  private final JobReads reads;
  private final Jdbi jdbi;

  private final QueueRoutes queueRoutes;

  public ApiServer(ApiKeys keys, Intake intake, Pipelines pipelines, JobReads reads, MessageQueue queue,
      QueueAdmin queueAdmin, Jdbi jdbi) {
    this.keys = keys;
    this.queueRoutes = new QueueRoutes(queue, queueAdmin);
    this.intake = intake;
    this.intakeParser = new IntakeRequestParser(pipelines);
    this.reads = reads;
    this.jdbi = jdbi;
    this.app = Javalin.create(this::configure);
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = JsonBody.MAX_BYTES;
    var routes = config.routes;
    routes.beforeMatched(this::authorize);
    routes.get("/health", this::health);
    routes.post("/functions/v1/content-intake", this::submit, Access.ANON, Access.SERVICE);
    routes.post("/api/v1/jobs", this::submit, Access.ANON, Access.SERVICE);
    routes.get("/rest/v1/content_jobs", this::restContentJobs, Access.ANON, Access.SERVICE);
    routes.get("/api/v1/jobs/{id}", ctx -> ctx.json(found(reads.job(jobId(ctx)))), Access.ANON, Access.SERVICE);
    routes.get("/api/v1/jobs/{id}/events", ctx -> ctx.json(reads.events(existingJob(ctx))), Access.ANON, Access.SERVICE);
    routes.get("/api/v1/jobs/{id}/payloads", ctx -> ctx.json(reads.payloads(existingJob(ctx))), Access.ANON, Access.SERVICE);
    queueRoutes.register(routes);
    routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(), e.field()));
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

  private void authorize(Context ctx) {
    var allowed = ctx.routeRoles();
    if (allowed.isEmpty()) {
      return;
    }
    Optional<Access> access = keys.accessOf(bearer(ctx.header("Authorization")));
    if (access.isEmpty()) {
      throw new ApiError(401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)", null);
    }
    if (!allowed.contains(access.get())) {
      throw new ApiError(403, "forbidden", "this route needs the service key", null);
    }
  }

  private void health(Context ctx) {
    boolean database = databaseAnswers();
    ctx.status(database ? 200 : 503).json(Json.object()
        .put("status", database ? "ok" : "degraded")
        .put("database", database ? "up" : "down"));
  }

  private void submit(Context ctx) {
    NewJob job = intakeParser.parse(JsonBody.read(ctx));
    UUID jobId = intake.submit(job);
    ctx.status(201).json(Json.object()
        .put("job_id", jobId.toString())
        .put("status", "queued")
        .put("stage", job.initialStage()));
  }

  /** PostgREST-style polling as seed 001 does it: ?id=eq.<uuid>, optionally status=eq.<status>. */
  private void restContentJobs(Context ctx) {
    Optional<UUID> id = Optional.ofNullable(ctx.queryParam("id")).map(v -> uuid(eqValue(v, "id"), "id"));
    Optional<String> status = Optional.ofNullable(ctx.queryParam("status")).map(v -> eqValue(v, "status"));
    ctx.json(reads.contentJobs(id, status, 100));
  }

  private UUID existingJob(Context ctx) {
    UUID id = jobId(ctx);
    if (!reads.exists(id)) {
      throw ApiError.notFound("no job " + id);
    }
    return id;
  }

  private static <T> T found(Optional<T> value) {
    return value.orElseThrow(() -> ApiError.notFound("no such job"));
  }

  private static UUID jobId(Context ctx) {
    return uuid(ctx.pathParam("id"), "id");
  }

  private static String eqValue(String filter, String field) {
    if (!filter.startsWith("eq.")) {
      throw ApiError.invalid(field, field + " filter must look like eq.<value>");
    }
    return filter.substring(3);
  }

  private static UUID uuid(String value, String field) {
    return BodyFields.uuid(value, field);
  }

  private boolean databaseAnswers() {
    try {
      return jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void unexpected(Exception e, Context ctx) {
    if (DatabaseUnavailable.is(e)) {
      ctx.header("Retry-After", "5");
      error(ctx, 503, "unavailable", "the database is unavailable; retry shortly", null);
      return;
    }
    log.error("request {} {} failed", ctx.method(), ctx.path(), e);
    error(ctx, 500, "internal_error", "the request failed on the server", null);
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
