package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.json.Json;
import io.planperfect.scheduler.CronSchedule;
import io.planperfect.scheduler.Scheduler;
import io.planperfect.scheduler.SchedulerJobs;
import io.planperfect.scheduler.SchedulerReads;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;

/**
 * The handlers of seed 003's scheduler management ({@code /functions/v1/scheduler?action=status|jobs|health|toggle|trigger},
 * answers wrapped in {@code {success, data}}) and of the same under {@code /api/v1/scheduler}.
 */
public final class SchedulerRoutes {
  private static final Set<String> READ_ACTIONS = Set.of("status", "jobs", "health");
  private static final Set<String> WRITE_ACTIONS = Set.of("toggle", "trigger");
  private static final Set<String> UPDATABLE = Set.of("schedule", "enabled", "timeout_seconds");
  private static final int MAX_TIMEOUT_SECONDS = 86_400;
  private static final int RUNS_SHOWN = 20;

  private final SchedulerJobs jobs;
  private final SchedulerReads reads;
  /** This node's scheduler, woken after a trigger; null when this node does not run one. */
  private final Scheduler localScheduler;

  public SchedulerRoutes(SchedulerJobs jobs, SchedulerReads reads, Scheduler localScheduler) {
    this.jobs = jobs;
    this.reads = reads;
    this.localScheduler = localScheduler;
  }

  void seedRead(Context ctx) {
    String action = action(ctx);
    if (WRITE_ACTIONS.contains(action)) {
      throw new ApiError(405, "method_not_allowed", "action=" + action + " needs POST", "action");
    }
    ObjectNode data = switch (action) {
      case "status" -> reads.status();
      case "jobs" -> reads.jobs();
      default -> reads.health();
    };
    ctx.json(success(data));
  }

  void seedWrite(Context ctx) {
    String action = action(ctx);
    if (READ_ACTIONS.contains(action)) {
      throw new ApiError(405, "method_not_allowed", "action=" + action + " needs GET", "action");
    }
    String job = requiredQuery(ctx, "job");
    if (action.equals("trigger")) {
      ctx.json(success(trigger(job)));
      return;
    }
    boolean enable = parseEnable(requiredQuery(ctx, "enable"));
    SchedulerJobs.Toggle toggle = jobs.toggle(job, enable);
    if (!toggle.success()) {
      throw unknownJob(job);
    }
    wakeLocalScheduler();
    ctx.json(success(Json.object().put("success", true).put("message", toggle.message())));
  }

  void status(Context ctx) {
    ctx.json(reads.status());
  }

  void health(Context ctx) {
    ctx.json(reads.health());
  }

  void jobs(Context ctx) {
    ctx.json(reads.jobs());
  }

  void job(Context ctx) {
    ctx.json(reads.job(ctx.pathParam("name"), RUNS_SHOWN).orElseThrow(() -> unknownJob(ctx.pathParam("name"))));
  }

  void triggerJob(Context ctx) {
    ctx.status(202).json(trigger(ctx.pathParam("name")));
  }

  void runs(Context ctx) {
    String name = ctx.pathParam("name");
    reads.job(name, 0).orElseThrow(() -> unknownJob(name));
    String limitText = ctx.queryParam("limit");
    int limit = RUNS_SHOWN;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw ApiError.invalid("limit", "limit must be an integer from 1 to 1000");
      }
    }
    ctx.json(reads.runs(name, limit));
  }

  void update(Context ctx) {
    String name = ctx.pathParam("name");
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    for (var names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!UPDATABLE.contains(field)) {
        throw ApiError.invalid(field, "unknown field '" + field + "'; allowed: schedule, enabled, timeout_seconds");
      }
    }
    String schedule = BodyFields.optionalText(body, "schedule", "schedule");
    if (schedule != null) {
      try {
        CronSchedule parsed = CronSchedule.parse(schedule);
        if (!parsed.firesAfter(Instant.now(), ZoneOffset.UTC)) {
          throw ApiError.invalid("schedule", "cron expression '" + schedule + "' never fires");
        }
        schedule = parsed.expression();
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid("schedule", e.getMessage());
      }
    }
    Boolean enabled = null;
    if (body.has("enabled")) {
      if (!body.get("enabled").isBoolean()) {
        throw ApiError.invalid("enabled", "enabled must be true or false");
      }
      enabled = body.get("enabled").booleanValue();
    }
    Integer timeout = BodyFields.optionalInteger(body, "timeout_seconds", "timeout_seconds", 1, MAX_TIMEOUT_SECONDS);
    if (!jobs.update(name, schedule, enabled, timeout)) {
      throw unknownJob(name);
    }
    wakeLocalScheduler();
    ctx.json(reads.job(name, RUNS_SHOWN).orElseThrow(() -> unknownJob(name)));
  }

  private ObjectNode trigger(String job) {
    String function = jobs.requestRun(job).orElseThrow(() -> unknownJob(job));
    wakeLocalScheduler();
    return Json.object().put("job_name", job).put("function", function);
  }

  private void wakeLocalScheduler() {
    if (localScheduler != null) {
      localScheduler.wakeUp();
    }
  }

  private static String action(Context ctx) {
    String action = requiredQuery(ctx, "action").toLowerCase(Locale.ROOT);
    if (!READ_ACTIONS.contains(action) && !WRITE_ACTIONS.contains(action)) {
      throw ApiError.invalid("action", "unknown action '" + action + "'; expected one of status, jobs, health, toggle, trigger");
    }
    return action;
  }

  private static String requiredQuery(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw ApiError.invalid(name, "query parameter '" + name + "' is required");
    }
    if (value.indexOf('\u0000') >= 0 || value.length() > BodyFields.MAX_TEXT) {
      throw ApiError.invalid(name, "query parameter '" + name + "' is not a valid name");
    }
    return value.trim();
  }

  private static boolean parseEnable(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiError.invalid("enable", "enable must be true or false, got '" + value + "'");
    };
  }

  private static ObjectNode success(ObjectNode data) {
    ObjectNode answer = Json.object().put("success", true);
    answer.set("data", data);
    return answer;
  }

  private static ApiError unknownJob(String name) {
    return new ApiError(404, "not_found", "no scheduler job named '" + name + "'", "job");
  }
}
