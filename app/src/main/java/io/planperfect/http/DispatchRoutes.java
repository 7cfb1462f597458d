package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.planperfect.dispatch.Dispatcher;
import io.planperfect.dispatch.StageBacklog;
import io.planperfect.config.LlmSettings;
import io.planperfect.dispatch.StageConfigChange;
import io.planperfect.dispatch.StageConfigRepository;
import io.planperfect.dispatch.WorkerEndpoints;
import io.planperfect.pipeline.RetrySettings;
import io.planperfect.json.Json;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The handlers of seed 000 and 001's dispatch routes: the dispatcher, one worker endpoint per stage
 * ({@code /functions/v1/<queue>-<stage>-worker}), and the stage config ({@code /api/v1/stages}).
 */
public final class DispatchRoutes {
  private static final List<String> UPDATABLE = List.of("max_concurrency", "trigger_batch_size", "enabled",
      "worker_endpoint", "max_attempts", "retry_delay_seconds", "llm_provider", "llm_model", "qa_policy");
  private static final List<String> QA_POLICIES = List.of("continue", "redraft", "fail");
  private static final int MAX_MODEL_NAME = 200;

  private final Dispatcher dispatcher;
  private final StageConfigRepository configs;
  private final WorkerEndpoints workers;

  public DispatchRoutes(Dispatcher dispatcher, StageConfigRepository configs, WorkerEndpoints workers) {
    this.dispatcher = dispatcher;
    this.configs = configs;
    this.workers = workers;
  }

  void runDispatcher(Context ctx) {
    ctx.json(dispatcher.runOnce());
  }

  /** The handler of one stage's worker endpoint. */
  Handler worker(String queue, String stage) {
    return ctx -> runWorker(ctx, queue, stage);
  }

  /** Seed 001's worker contract: 202 {"message":"scheduled","job_id"} while it runs, 204 when there is nothing. */
  private void runWorker(Context ctx, String queue, String stage) {
    workers.runOneViaEndpoint(queue, stage).ifPresentOrElse(
        message -> ctx.status(202).json(Json.object().put("message", "scheduled")
            .put("job_id", message.jobId() == null ? null : message.jobId().toString())),
        () -> ctx.status(204));
  }

  void list(Context ctx) {
    Map<String, StageBacklog> backlog = configs.backlog().stream()
        .collect(Collectors.toMap(b -> b.queue() + ":" + b.stage(), Function.identity()));
    ArrayNode stages = Json.MAPPER.createArrayNode();
    configs.list().forEach(config -> {
      ObjectNode node = Json.MAPPER.valueToTree(config);
      node.set("backlog", Json.MAPPER.valueToTree(backlog.get(config.queue() + ":" + config.stage())));
      stages.add(node);
    });
    ctx.json(stages);
  }

  void update(Context ctx) {
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    for (var names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!UPDATABLE.contains(name)) {
        throw ApiError.invalid(name, "unknown field '" + name + "'; allowed: " + String.join(", ", UPDATABLE));
      }
    }
    Integer max = BodyFields.optionalInteger(body, "max_concurrency", "max_concurrency", 0, 10_000);
    Integer batch = BodyFields.optionalInteger(body, "trigger_batch_size", "trigger_batch_size", 1, 1_000);
    Boolean enabled = optionalBoolean(body, "enabled");
    boolean setEndpoint = body.has("worker_endpoint");
    String endpoint = setEndpoint ? endpoint(body.get("worker_endpoint")) : null;
    // why: null is a value here (back to the definitions and the environment), so presence decides.
    Integer attempts = BodyFields.optionalInteger(body, "max_attempts", "max_attempts", 1, RetrySettings.MAX_ATTEMPTS_LIMIT);
    Integer retryDelay = BodyFields.optionalInteger(body, "retry_delay_seconds", "retry_delay_seconds", 0,
        RetrySettings.MAX_RETRY_DELAY_SECONDS);
    String provider = BodyFields.optionalText(body, "llm_provider", "llm_provider");
    if (provider != null && !LlmSettings.PROVIDERS.contains(provider)) {
      throw ApiError.invalid("llm_provider", "llm_provider must be one of " + LlmSettings.PROVIDERS + " or null");
    }
    String model = BodyFields.optionalText(body, "llm_model", "llm_model");
    if (model != null && (model.isBlank() || model.length() > MAX_MODEL_NAME)) {
      throw ApiError.invalid("llm_model", "llm_model must be a model name of 1 to " + MAX_MODEL_NAME + " characters, or null");
    }
    String qaPolicy = BodyFields.optionalText(body, "qa_policy", "qa_policy");
    if (qaPolicy != null && !QA_POLICIES.contains(qaPolicy)) {
      throw ApiError.invalid("qa_policy", "qa_policy must be one of " + QA_POLICIES + " or null");
    }
    var updated = configs.update(ctx.pathParam("queue"), ctx.pathParam("stage"),
        new StageConfigChange(max, batch, enabled, setEndpoint, endpoint,
            body.has("max_attempts"), attempts, body.has("retry_delay_seconds"), retryDelay,
            body.has("llm_provider"), provider, body.has("llm_model"), model, body.has("qa_policy"), qaPolicy));
    // why through Json.MAPPER: Javalin's own mapper writes last_updated_at as a number, GET /api/v1/stages as ISO-8601
    ctx.json(Json.MAPPER.valueToTree(updated.orElseThrow(() ->
        ApiError.notFound("no stage " + ctx.pathParam("queue") + "/" + ctx.pathParam("stage")))));
  }

  private static Boolean optionalBoolean(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw ApiError.invalid(field, field + " must be true or false");
    }
    return value.asBoolean();
  }

  private static String endpoint(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.invalid("worker_endpoint", "worker_endpoint must be an http(s) URL or null");
    }
    try {
      URI uri = URI.create(value.asText());
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri.toString();
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("worker_endpoint", "worker_endpoint must be an http(s) URL or null");
    }
  }
}
