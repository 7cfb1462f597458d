package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.cli.client.ApiClient;
import io.planperfect.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stages}: every stage's limits and backlog ({@code GET /api/v1/stages}); {@code stages set STAGE ...}
 * changes one ({@code PUT /api/v1/stages/{queue}/{stage}}), effective at the next claim.
 */
@Command(name = "stages", description = "Show every stage's limits and backlog on a running server; 'stages set' changes one.",
    subcommands = StagesCommand.Set.class,
    footer = {"", "Examples:", "  planperfect stages", "  planperfect stages set research --queue content --max-concurrency 10",
        "  planperfect stages set content/draft --disable"})
final class StagesCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    JsonNode stages = server.client().get("/api/v1/stages");
    if (server.json) {
      JsonOutput.print(stages);
    } else {
      table(stages).print(System.out, "(no stages)");
    }
    return Exits.OK;
  }

  static Table table(JsonNode stages) {
    Table table = new Table("QUEUE", "STAGE", "ENABLED", "MAX CONC", "BATCH", "ATTEMPTS", "RETRY (s)", "READY", "IN FLIGHT",
        "DELAYED", "OLDEST READY (s)");
    for (JsonNode s : stages) {
      JsonNode backlog = s.path("backlog");
      table.row(JsonOutput.text(s, "queue"), JsonOutput.text(s, "stage"), s.path("enabled").asBoolean() ? "yes" : "no",
          JsonOutput.text(s, "max_concurrency"), JsonOutput.text(s, "trigger_batch_size"), orDefault(s, "max_attempts"),
          orDefault(s, "retry_delay_seconds"), backlog.path("ready_count").asLong(), backlog.path("in_flight_count").asLong(),
          backlog.path("delayed_count").asLong(), JsonOutput.text(backlog, "oldest_ready_age_sec"));
    }
    return table;
  }

  private static String orDefault(JsonNode stage, String field) {
    String value = JsonOutput.text(stage, field);
    return value.isEmpty() ? "default" : value;
  }

  /** {@code stages set [QUEUE/]STAGE [--queue Q] --max-concurrency N ...}. */
  @Command(name = "set", description = "Change one stage's limits (only the options given change).")
  static final class Set implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "STAGE", description = "The stage, or QUEUE/STAGE.") String stage;
    @Option(names = "--queue", description = "The stage's queue, when its name is in several (research: content and schema).")
    String queue;
    @Option(names = "--max-concurrency", description = "Messages of this stage in flight across all nodes (0-10000).")
    Integer maxConcurrency;
    @Option(names = "--batch-size", description = "trigger_batch_size (1-1000).") Integer batchSize;
    @Option(names = "--enable", description = "Let the stage's messages be claimed again.") boolean enable;
    @Option(names = "--disable", description = "Pause the stage: its messages wait.") boolean disable;
    @Option(names = "--max-attempts", description = "The stage's max_attempts (1-25).") Integer maxAttempts;
    @Option(names = "--retry-delay-seconds", description = "The stage's retry_delay_seconds (0-86400).") Integer retryDelay;
    @Option(names = "--worker-endpoint", description = "An http(s) URL the dispatcher calls for this stage.") String endpoint;
    @Option(names = "--llm-provider", description = "The stage's model provider.") String llmProvider;
    @Option(names = "--llm-model", description = "The stage's model.") String llmModel;
    @Option(names = "--qa-policy", description = "continue, redraft or fail.") String qaPolicy;

    @Override
    public Integer call() {
      ObjectNode change = change();
      ApiClient api = server.client();
      String[] where = where(api);
      JsonNode updated = api.put("/api/v1/stages/" + ApiClient.segment(where[0]) + "/" + ApiClient.segment(where[1]), change);
      if (server.json) {
        JsonOutput.print(updated);
      } else {
        System.out.println("stage " + where[0] + "/" + where[1] + " updated: " + Json.write(change));
      }
      return Exits.OK;
    }

    private ObjectNode change() {
      if (enable && disable) {
        throw new IllegalArgumentException("--enable and --disable together: choose one");
      }
      ObjectNode change = Json.object();
      putIf(change, "max_concurrency", maxConcurrency);
      putIf(change, "trigger_batch_size", batchSize);
      putIf(change, "max_attempts", maxAttempts);
      putIf(change, "retry_delay_seconds", retryDelay);
      if (enable || disable) {
        change.put("enabled", enable);
      }
      putIf(change, "worker_endpoint", endpoint);
      putIf(change, "llm_provider", llmProvider);
      putIf(change, "llm_model", llmModel);
      putIf(change, "qa_policy", qaPolicy);
      if (change.isEmpty()) {
        throw new IllegalArgumentException("nothing to change: give --max-concurrency, --batch-size, --enable, --disable, "
            + "--max-attempts, --retry-delay-seconds, --worker-endpoint, --llm-provider, --llm-model or --qa-policy");
      }
      return change;
    }

    /** {queue, stage}: as given, or the one queue that has a stage of this name. */
    private String[] where(ApiClient api) {
      int slash = stage.indexOf('/');
      if (slash > 0) {
        return new String[] {stage.substring(0, slash), stage.substring(slash + 1)};
      }
      if (queue != null) {
        return new String[] {queue, stage};
      }
      List<String> queues = new ArrayList<>();
      api.get("/api/v1/stages").forEach(s -> {
        if (s.path("stage").asText().equals(stage)) {
          queues.add(s.path("queue").asText());
        }
      });
      if (queues.size() == 1) {
        return new String[] {queues.get(0), stage};
      }
      throw new IllegalArgumentException(queues.isEmpty() ? "no stage named " + stage + " (see: planperfect stages)"
          : "stage " + stage + " is in queues " + String.join(", ", queues) + ": name one with --queue or QUEUE/STAGE");
    }

    private static void putIf(ObjectNode node, String field, Object value) {
      if (value != null) {
        node.set(field, Json.MAPPER.valueToTree(value));
      }
    }
  }
}
