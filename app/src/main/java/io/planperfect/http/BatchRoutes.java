package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.BatchCancellation;
import io.planperfect.engine.BatchIntake;
import io.planperfect.engine.BatchReads;
import io.planperfect.engine.IdempotencyKey;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Batches of jobs for every pipeline: {@code POST /api/v1/batches} with a JSON array of intake
 * bodies (or {@code {"jobs": [...], "callback_url": ...}}) or {@code text/csv} ({@link CsvBatchBody}),
 * up to {@link BatchIntake#MAX_JOBS}; stored all or nothing (a bad row: 400 naming
 * {@code rows[N].<field>}); reads and cancel.
 */
public final class BatchRoutes {
  /** The largest batch body: 10,000 jobs of about 1 KiB each, with room. */
  static final int MAX_BYTES = 16 * 1024 * 1024;

  private final BatchIntake intake;
  private final BatchReads reads;
  private final BatchCancellation cancellation;
  private final IntakeRequestParser parser;
  private final CallbackUrls callbacks;

  /** {@code callbacks}: the rules of the fetcher the batch's (and its jobs') callbacks will go through. */
  public BatchRoutes(BatchIntake intake, BatchReads reads, BatchCancellation cancellation, PipelineRegistry pipelines,
      CallbackUrls callbacks) {
    this.intake = intake;
    this.callbacks = callbacks;
    this.reads = reads;
    this.cancellation = cancellation;
    this.parser = new IntakeRequestParser(pipelines, Clock.systemUTC(), callbacks);
  }

  void submit(Context ctx) {
    String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
    String callback = ctx.queryParam("callback_url");
    ArrayNode rows;
    boolean csv = contentType.startsWith("text/csv");
    byte[] raw = csv ? JsonBody.readBounded(ctx, MAX_BYTES) : JsonBody.jsonBytes(ctx, MAX_BYTES);
    IdempotencyKey key = IdempotencyHeader.of(ctx, raw);
    if (csv) {
      String text = new String(raw, StandardCharsets.UTF_8);
      rows = CsvBatchBody.parse(text, ctx.queryParam("job_type"));
    } else {
      JsonNode body = JsonBody.parse(raw);
      if (body.isObject()) {
        rejectUnknown(body);
        callback = body.hasNonNull("callback_url") ? BodyFields.optionalText(body, "callback_url", "callback_url") : callback;
        body = body.get("jobs");
      }
      if (body == null || !body.isArray()) {
        throw ApiError.invalid("jobs", "send a JSON array of job bodies, or {\"jobs\": [...], \"callback_url\": ...}, or text/csv");
      }
      rows = (ArrayNode) body;
    }
    if (rows.isEmpty() || rows.size() > BatchIntake.MAX_JOBS) {
      throw ApiError.invalid("jobs", "a batch holds 1 to " + BatchIntake.MAX_JOBS + " jobs, got " + rows.size());
    }
    String callbackUrl = callbacks.check(callback, "callback_url");
    List<NewJob> jobs = BatchRows.all(rows, parser);
    BatchIntake.Receipt receipt = IdempotencyHeader.refusingReuse(() -> intake.accept(jobs, callbackUrl, key));
    ObjectNode answer = Json.object().put("batch_id", receipt.batchId().toString()).put("status", "processing")
        .put("total_jobs", receipt.jobIds().size());
    ArrayNode ids = answer.putArray("job_ids");
    receipt.jobIds().forEach(id -> ids.add(id.toString()));
    IdempotencyHeader.answer(ctx, receipt.replayed(), 201).json(answer);
  }

  void batch(Context ctx) {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    ObjectNode batch = reads.batch(id).orElseThrow(() -> ApiError.notFound("no batch " + id));
    Optional<String> status = Optional.ofNullable(ctx.queryParam("job_status"));
    if (status.isPresent() && !BatchReads.JOB_STATUSES.contains(status.get())) {
      throw ApiError.invalid("job_status", "job_status must be one of " + BatchReads.JOB_STATUSES);
    }
    int limit = Paging.limit(ctx);
    int offset = Paging.offset(ctx);
    ObjectNode jobs = batch.putObject("jobs");
    jobs.put("status", status.orElse(null)).put("limit", limit).put("offset", offset);
    jobs.set("items", reads.jobs(id, status, limit, offset));
    ctx.json(batch);
  }

  void list(Context ctx) {
    ctx.json(reads.list(Paging.limit(ctx), Paging.offset(ctx)));
  }

  void cancel(Context ctx) {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    switch (cancellation.cancel(id)) {
      case CANCELLED -> ctx.json(reads.batch(id).orElseThrow());
      case NOT_FOUND -> throw ApiError.notFound("no batch " + id);
      case ALREADY_FINISHED -> throw new ApiError(409, "conflict", "batch " + id + " has already finished", null);
    }
  }

  private static void rejectUnknown(JsonNode body) {
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals("jobs") && !name.equals("callback_url")) {
        throw ApiError.invalid(name, "unknown field '" + name + "'; allowed: [jobs, callback_url]");
      }
    });
  }
}
