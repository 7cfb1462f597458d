package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.planperfect.engine.GeneratedPages;
import io.planperfect.engine.JobPriorities;
import io.planperfect.engine.QueueStatus;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.Priority;
import java.util.Optional;
import java.util.UUID;

/**
 * Story 4.4's reads and queue management beside batches: generated pages (by id, which is the job's
 * id, by job, or listed), a queue's status (seed 004's getQueueStatus), and a waiting job's priority.
 */
public final class GenerationRoutes {
  private final GeneratedPages pages;
  private final QueueStatus status;
  private final JobPriorities priorities;

  public GenerationRoutes(GeneratedPages pages, QueueStatus status, JobPriorities priorities) {
    this.pages = pages;
    this.status = status;
    this.priorities = priorities;
  }

  void page(Context ctx) {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    ctx.json(pages.page(id).orElseThrow(() -> ApiError.notFound("no generated page " + id)));
  }

  void pages(Context ctx) {
    Optional<UUID> batch = Optional.ofNullable(ctx.queryParam("batch_id")).map(v -> BodyFields.uuid(v, "batch_id"));
    ctx.json(pages.list(batch, Paging.limit(ctx), Paging.offset(ctx)));
  }

  void queueStatus(Context ctx) {
    String queue = ctx.pathParam("queue");
    var answer = status.status(queue);
    if (answer.path("priorityAgingSeconds").isNull()) {
      throw ApiError.notFound("no queue " + queue);
    }
    ctx.json(answer);
  }

  /** PATCH /api/v1/jobs/{id} with {"priority": "HIGH" | "NORMAL" | "LOW" | -100..100}. */
  void changePriority(Context ctx) {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals("priority")) {
        throw ApiError.invalid(name, "unknown field '" + name + "'; allowed: [priority]");
      }
    });
    Integer priority;
    try {
      priority = Priority.parse(body, "priority", "priority");
    } catch (InvalidField e) {
      throw ApiError.invalid(e.field(), e.getMessage());
    }
    if (priority == null) {
      throw ApiError.invalid("priority", "priority is required");
    }
    switch (priorities.change(id, priority)) {
      case CHANGED -> ctx.json(Json.object().put("job_id", id.toString()).put("priority", priority)
          .put("priority_level", Priority.of(priority).name()));
      case NOT_FOUND -> throw ApiError.notFound("no job " + id);
      case ALREADY_FINISHED -> throw new ApiError(409, "conflict", "job " + id + " has already finished", null);
    }
  }
}
