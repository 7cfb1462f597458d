package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.cli.client.ApiClient;
import io.planperfect.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq list|show|replay|discard}: the dead letters ({@code /api/v1/dead-letters}, service key). */
@Command(name = "dlq", description = "The dead letters of a running server: list, show, replay, discard.",
    footer = {"", "Examples:", "  planperfect dlq list", "  planperfect dlq show 42", "  planperfect dlq replay 42"})
final class DlqCommand implements Runnable {
  private static final String DEAD_LETTERS = "/api/v1/dead-letters";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name one: list, show, replay or discard");
  }

  @Command(name = "list", description = "Dead letters, newest first (open ones unless --all).")
  int list(@Mixin ServerOptions server,
      @Option(names = "--pipeline", description = "Only this pipeline.") String pipeline,
      @Option(names = "--all", description = "Also those already replayed or discarded.") boolean all,
      @Option(names = "--limit", description = "At most this many (1-1000). Default: 100.") Integer limit) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("pipeline", pipeline);
    query.put("all", all ? "true" : null);
    query.put("limit", limit);
    JsonNode letters = server.client().get(DEAD_LETTERS + ApiClient.query(query));
    if (server.json) {
      JsonOutput.print(letters);
      return Exits.OK;
    }
    Table table = new Table("ID", "PIPELINE", "STAGE", "JOB", "ATTEMPTS", "ROUTED", "RESOLUTION", "REASON");
    letters.forEach(d -> table.row(JsonOutput.text(d, "id"), JsonOutput.text(d, "pipeline"), JsonOutput.text(d, "stage"),
        JsonOutput.text(d, "job_id"), JsonOutput.text(d, "attempt_count"), JsonOutput.time(d, "routed_at"),
        JsonOutput.text(d, "resolution"), JsonOutput.text(d, "failure_reason")));
    table.print(System.out, all ? "(no dead letters)" : "(no open dead letters)");
    return Exits.OK;
  }

  @Command(name = "show", description = "One dead letter, with its payload and error.")
  int show(@Mixin ServerOptions server, @Parameters(paramLabel = "ID") long id) throws Exception {
    JsonNode letter = server.client().get(DEAD_LETTERS + "/" + id);
    System.out.println(server.json ? Json.write(letter)
        : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(letter));
    return Exits.OK;
  }

  @Command(name = "replay", description = "Resume the dead letter's job at the stage that failed.")
  int replay(@Mixin ServerOptions server, @Parameters(paramLabel = "ID") long id) {
    return resolve(server, id, "replay");
  }

  @Command(name = "discard", description = "Mark a dead letter discarded (its job stays failed).")
  int discard(@Mixin ServerOptions server, @Parameters(paramLabel = "ID") long id) {
    return resolve(server, id, "discard");
  }

  private static int resolve(ServerOptions server, long id, String action) {
    JsonNode answer = server.client().post(DEAD_LETTERS + "/" + id + "/" + action, Json.object());
    if (server.json) {
      JsonOutput.print(answer);
    } else {
      System.out.println("dead letter " + id + " " + JsonOutput.text(answer, "status"));
    }
    return Exits.OK;
  }
}
