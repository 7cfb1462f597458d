package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.engine.DeadLetters;
import io.planperfect.json.Json;
import java.util.Optional;

/** The handlers of {@code /api/v1/dead-letters}: list, show, replay, discard. */
public final class DeadLetterRoutes {
  private final DeadLetters deadLetters;

  public DeadLetterRoutes(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  void list(Context ctx) {
    boolean all = "true".equals(ctx.queryParam("all"));
    int limit = Optional.ofNullable(ctx.queryParam("limit")).map(v -> parseLimit(v)).orElse(100);
    ctx.json(deadLetters.list(Optional.ofNullable(ctx.queryParam("pipeline")), all, limit));
  }

  void show(Context ctx) {
    ctx.json(deadLetters.show(id(ctx)).orElseThrow(() -> ApiError.notFound("no dead letter " + ctx.pathParam("id"))));
  }

  void replay(Context ctx) {
    answer(ctx, deadLetters.replay(id(ctx)), "replayed");
  }

  void discard(Context ctx) {
    answer(ctx, deadLetters.discard(id(ctx)), "discarded");
  }

  private static void answer(Context ctx, DeadLetters.Outcome outcome, String done) {
    long id = id(ctx);
    switch (outcome) {
      case DONE -> ctx.json(Json.object().put("id", id).put("status", done));
      case NOT_FOUND -> throw ApiError.notFound("no dead letter " + id);
      case ALREADY_RESOLVED -> throw new ApiError(409, "conflict", "dead letter " + id + " was already replayed or discarded", null);
      case JOB_NOT_FAILED -> throw new ApiError(409, "conflict", "the job of dead letter " + id + " is not failed", null);
    }
  }

  private static long id(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiError.invalid("id", "id must be a number");
    }
  }

  private static int parseLimit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit < 1 || limit > 1000) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiError.invalid("limit", "limit must be an integer from 1 to 1000");
    }
  }
}
