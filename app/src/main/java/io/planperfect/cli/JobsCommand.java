package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jobs}: a page of jobs, newest first, filtered ({@code GET /api/v1/jobs}); the next page by its cursor. */
@Command(name = "jobs", description = "List jobs on a running server, newest first.",
    footer = {"", "Examples:", "  planperfect jobs --status failed", "  planperfect jobs --pipeline generation --limit 100 --json"})
final class JobsCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Option(names = "--pipeline", description = "Only this pipeline (content, schema, pageperfect, generation, ...).") String pipeline;
  @Option(names = "--status", description = "Only this status: scheduled, queued, processing, completed, failed, cancelled.") String status;
  @Option(names = "--stage", description = "Only jobs now at this stage.") String stage;
  @Option(names = "--priority", description = "Only this priority (a number).") String priority;
  @Option(names = "--batch", description = "Only the jobs of this batch.") String batch;
  @Option(names = {"-q", "--search"}, description = "Title or URL contains this text.") String search;
  @Option(names = "--created-after", description = "ISO-8601 time with offset, e.g. 2026-12-01T00:00:00Z.") String createdAfter;
  @Option(names = "--limit", description = "Jobs per page (1-500). Default: the server's (50).") Integer limit;
  @Option(names = "--cursor", description = "The next page: the cursor the previous page printed.") String cursor;

  @Override
  public Integer call() {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("pipeline", pipeline);
    query.put("status", status);
    query.put("stage", stage);
    query.put("priority", priority);
    query.put("batch", batch);
    query.put("q", search);
    query.put("created_after", createdAfter);
    query.put("limit", limit);
    query.put("cursor", cursor);
    JsonNode page = server.client().get("/api/v1/jobs" + ApiClient.query(query));
    if (server.json) {
      JsonOutput.print(page);
      return Exits.OK;
    }
    Table table = new Table("ID", "PIPELINE", "STATUS", "STAGE", "PROGRESS", "PRIORITY", "CREATED", "TITLE");
    for (JsonNode job : page.path("jobs")) {
      table.row(JsonOutput.text(job, "id"), JsonOutput.text(job, "pipeline"), JsonOutput.text(job, "status"),
          JsonOutput.text(job, "stage"), job.path("stages_done").asInt() + "/" + job.path("stages_total").asInt(),
          JsonOutput.text(job, "priority"), JsonOutput.time(job, "created_at"), JsonOutput.text(job, "title"));
    }
    table.print(System.out, "(no jobs)");
    String next = JsonOutput.text(page, "next_cursor");
    if (!next.isEmpty()) {
      System.out.println("more: --cursor " + next);
    }
    return Exits.OK;
  }
}
