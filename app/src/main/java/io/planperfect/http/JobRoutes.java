package io.planperfect.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.IdempotencyKey;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobDeliveries;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobReads;
import io.planperfect.engine.JobSearch;
import io.planperfect.engine.NewJob;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.json.Json;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** The handlers of intake and job reads: seed 001's routes and {@code /api/v1/jobs}. */
public final class JobRoutes {
  private final Intake intake;
  private final IntakeRequestParser parser;
  private final JobReads reads;
  private final JobCancellation cancellation;
  private final JobSearch search;
  private final JobDeliveries deliveries;

  public JobRoutes(Intake intake, PipelineRegistry pipelines, JobReads reads, JobCancellation cancellation,
      JobSearch search, CallbackUrls callbacks, JobDeliveries deliveries) {
    this.intake = intake;
    this.search = search;
    this.cancellation = cancellation;
    this.parser = new IntakeRequestParser(pipelines, Clock.systemUTC(), callbacks);
    this.reads = reads;
    this.deliveries = deliveries;
  }

  void submit(Context ctx) {
    byte[] raw = JsonBody.jsonBytes(ctx);
    accept(ctx, parser.parse(JsonBody.parse(raw)), IdempotencyHeader.of(ctx, raw));
  }

  /**
   * A seed intake whose body holds the payload's fields at the top level (seed 002's pageperfect-intake:
   * url, pageId, keywords, skipSteps) beside the envelope's (priority, retry settings, ...): the same
   * checks and answer as {@link #submit}.
   */
  io.javalin.http.Handler submitAs(String jobType) {
    return ctx -> {
      byte[] raw = JsonBody.jsonBytes(ctx);
      accept(ctx, parser.parse(IntakeRequestParser.envelope(jobType, JsonBody.parse(raw))), IdempotencyHeader.of(ctx, raw));
    };
  }

  private void accept(Context ctx, NewJob job, IdempotencyKey key) {
    Intake.Receipt receipt = IdempotencyHeader.refusingReuse(() -> intake.accept(job, key));
    ObjectNode answer = Json.object()
        .put("job_id", receipt.jobId().toString())
        .put("status", receipt.status().value())
        .put("stage", receipt.stage());
    if (receipt.scheduledAt() != null) {
      answer.put("scheduled_at", receipt.scheduledAt().toString());
    }
    IdempotencyHeader.answer(ctx, receipt.replayed(), 201).json(answer);
  }

  /** {@code GET /api/v1/jobs}: newest first, filtered, a page at a time ({@link JobListQuery}). */
  void list(Context ctx) {
    JobSearch.Page page;
    try {
      page = search.page(JobListQuery.filter(ctx::queryParam), JobListQuery.cursor(ctx::queryParam),
          JobListQuery.limit(ctx::queryParam));
    } catch (JobSearch.BadCursor e) {
      throw ApiError.invalid("cursor", e.getMessage());
    }
    ObjectNode answer = Json.object();
    answer.set("jobs", page.jobs());
    answer.put("next_cursor", page.nextCursor().orElse(null));
    ctx.json(StoredErrors.forCaller(ctx, answer));
  }

  void job(Context ctx) {
    ctx.json(StoredErrors.forCaller(ctx, reads.job(jobId(ctx)).orElseThrow(() -> ApiError.notFound("no such job"))));
  }

  /** {@code GET /api/v1/jobs/{id}/callbacks}: the job's completion deliveries (webhook, mail) and their state. */
  void callbacks(Context ctx) {
    ctx.json(deliveries.of(existingJob(ctx)));
  }

  void events(Context ctx) {
    ctx.json(StoredErrors.forCaller(ctx, reads.events(existingJob(ctx))));
  }

  void payloads(Context ctx) {
    ctx.json(StoredErrors.forCaller(ctx, reads.payloads(existingJob(ctx))));
  }

  void cancel(Context ctx) {
    UUID id = jobId(ctx);
    switch (cancellation.cancel(id)) {
      case CANCELLED -> ctx.json(Json.object().put("job_id", id.toString()).put("status", "cancelled"));
      case NOT_FOUND -> throw ApiError.notFound("no job " + id);
      case ALREADY_FINISHED -> throw new ApiError(409, "conflict", "job " + id + " has already finished and cannot be cancelled", null);
    }
  }

  /** PostgREST-style polling as seed 001 does it: ?id=eq.<uuid>, optionally status=eq.<status>. */
  void restContentJobs(Context ctx) {
    Optional<UUID> id = Optional.ofNullable(ctx.queryParam("id")).map(v -> BodyFields.uuid(eqValue(v, "id"), "id"));
    Optional<String> status = Optional.ofNullable(ctx.queryParam("status")).map(v -> eqValue(v, "status"));
    ctx.json(StoredErrors.forCaller(ctx, reads.contentJobs(id, status, 100)));
  }

  private UUID existingJob(Context ctx) {
    UUID id = jobId(ctx);
    if (!reads.exists(id)) {
      throw ApiError.notFound("no job " + id);
    }
    return id;
  }

  private static UUID jobId(Context ctx) {
    return BodyFields.uuid(ctx.pathParam("id"), "id");
  }

  private static String eqValue(String filter, String field) {
    if (!filter.startsWith("eq.")) {
      throw ApiError.invalid(field, field + " filter must look like eq.<value>");
    }
    return filter.substring(3);
  }
}
