package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.cli.client.ApiClient;
import io.planperfect.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code status [JOB_ID]}: one job with its stages ({@code GET /api/v1/jobs/{id}}), or without an id the
 * queues ({@code GET /api/v1/queues}) and the stages with their backlog ({@code GET /api/v1/stages}).
 */
@Command(name = "status", description = "A job with its stages, or (without an id) the queues and stages of a running server.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Parameters(arity = "0..1", paramLabel = "JOB_ID", description = "A job's id.")
  String jobId;

  @Override
  public Integer call() {
    ApiClient api = server.client();
    return jobId == null ? overview(api) : job(api.get("/api/v1/jobs/" + ApiClient.segment(jobId)));
  }

  private int job(JsonNode job) {
    if (server.json) {
      JsonOutput.print(job);
      return Exits.OK;
    }
    JsonNode progress = job.path("progress");
    System.out.println("job       " + JsonOutput.text(job, "id"));
    System.out.println("pipeline  " + JsonOutput.text(job, "pipeline") + " (" + JsonOutput.text(job, "job_type") + ")");
    System.out.println("status    " + JsonOutput.text(job, "status") + " at " + JsonOutput.text(job, "stage")
        + ", " + progress.path("percent").asLong() + "% (" + (progress.path("stages_completed").asInt()
        + progress.path("stages_skipped").asInt()) + "/" + progress.path("stages_total").asInt() + " stages)");
    System.out.println("priority  " + JsonOutput.text(job, "priority"));
    System.out.println("created   " + JsonOutput.time(job, "created_at"));
    System.out.println();
    Table stages = new Table("STAGE", "STATUS", "ATTEMPTS", "STARTED", "TOOK", "ERROR");
    for (JsonNode stage : job.path("stages")) {
      stages.row(stage.path("stage").asText(), stage.path("status").asText(),
          stage.path("attempt_count").asInt() + "/" + stage.path("max_attempts").asInt(),
          JsonOutput.time(stage, "started_at"), JsonOutput.took(stage, "started_at", "finished_at"), error(stage));
    }
    stages.print(System.out, "(no stages)");
    return Exits.OK;
  }

  private int overview(ApiClient api) {
    JsonNode queues = api.get("/api/v1/queues");
    JsonNode stages = api.get("/api/v1/stages");
    if (server.json) {
      ObjectNode both = Json.object();
      both.set("queues", queues);
      both.set("stages", stages);
      JsonOutput.print(both);
      return Exits.OK;
    }
    Table queueTable = new Table("QUEUE", "LENGTH", "OLDEST (s)", "NEWEST (s)", "TOTAL SENT");
    queues.forEach(q -> queueTable.row(JsonOutput.text(q, "queue_name"), JsonOutput.text(q, "queue_length"),
        JsonOutput.text(q, "oldest_msg_age_sec"), JsonOutput.text(q, "newest_msg_age_sec"), JsonOutput.text(q, "total_messages")));
    queueTable.print(System.out, "(no queues)");
    System.out.println();
    StagesCommand.table(stages).print(System.out, "(no stages)");
    return Exits.OK;
  }

  private static String error(JsonNode stage) {
    String reason = JsonOutput.text(stage, "dead_letter_reason");
    return reason.isEmpty() ? stage.path("last_error").path("message").asText("") : reason;
  }
}
