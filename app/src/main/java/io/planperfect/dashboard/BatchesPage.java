package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.BatchCancellation;
import io.planperfect.engine.BatchReads;
import java.util.Optional;
import java.util.UUID;

/**
 * Batches: the list (newest first, a page at a time) and one batch: its counts (completed, failed,
 * cancelled, pending), progress and status, kept live by dashboard.js re-reading the counts fragment
 * ({@code /batches/{id}/counts}) when a job ends; its jobs by status, a page at a time; cancel.
 * The same reads and cancellation as {@code /api/v1/batches}, and the same audience (any key).
 */
final class BatchesPage {
  static final int PAGE = 25;
  static final int JOBS_PAGE = 50;

  private final BatchReads reads;
  private final BatchCancellation cancellation;

  BatchesPage(BatchReads reads, BatchCancellation cancellation) {
    this.reads = reads;
    this.cancellation = cancellation;
  }

  void list(Context ctx) {
    int offset = offset(ctx);
    ArrayNode batches = reads.list(PAGE + 1, offset);
    StringBuilder body = new StringBuilder("<table class=\"batches\"><thead><tr><th>Batch</th><th>Pipeline</th>")
        .append("<th>Status</th><th>Total</th><th>Completed</th><th>Failed</th><th>Cancelled</th><th>Pending</th>")
        .append("<th>Progress</th><th>Created</th></tr></thead><tbody>");
    for (int i = 0; i < Math.min(PAGE, batches.size()); i++) {
      JsonNode b = batches.get(i);
      String id = b.path("id").asText();
      body.append("<tr data-row-batch=\"").append(e(id)).append("\"><td><a href=\"/batches/").append(e(id)).append("\">")
          .append(e(id.substring(0, 8))).append("</a></td><td>").append(e(b, "pipeline")).append("</td><td>")
          .append(Html.status(b.path("status").asText())).append("</td><td class=\"total\">").append(b.path("total_jobs").asLong())
          .append("</td><td class=\"completed\">").append(b.path("completed").asLong()).append("</td><td class=\"failed\">")
          .append(b.path("failed").asLong()).append("</td><td class=\"cancelled\">").append(b.path("cancelled").asLong())
          .append("</td><td class=\"pending\">").append(b.path("pending").asLong()).append("</td><td>")
          .append(bar(b)).append("</td><td>").append(Html.time(b, "created_at")).append("</td></tr>");
    }
    if (batches.isEmpty()) {
      body.append("<tr><td colspan=\"10\">No batches yet: upload a CSV on the <a href=\"/generate\">Generate</a> page.</td></tr>");
    }
    body.append("</tbody></table>").append(pager("/batches?", offset, PAGE, batches.size() > PAGE));
    Layout.render(ctx, "Batches", "/batches", body.toString());
  }

  void show(Context ctx) {
    UUID id = batchId(ctx);
    ObjectNode batch = reads.batch(id).orElseThrow(() -> new Refusal(404, "no batch " + id));
    Optional<String> status = status(ctx);
    StringBuilder body = new StringBuilder("<p class=\"filters\">Jobs: <a href=\"/batches/").append(e(id)).append("\"")
        .append(status.isEmpty() ? " class=\"active\"" : "").append(">all</a>");
    for (String s : BatchReads.JOB_STATUSES) {
      body.append(" · <a href=\"/batches/").append(e(id)).append("?status=").append(s).append("\"")
          .append(status.filter(s::equals).isPresent() ? " class=\"active\"" : "").append(">").append(s).append("</a>");
    }
    body.append(" · <a href=\"/jobs?batch=").append(e(id)).append("\">in the job list</a></p>")
        .append("<section id=\"batch-counts\" data-batch=\"").append(e(id)).append("\">")
        .append(live(ctx, batch)).append("</section>");
    Layout.render(ctx, "Batch " + id.toString().substring(0, 8), "/batches", body.toString());
  }

  /**
   * The live part alone (counts, progress, status, cancel, the page of jobs), which dashboard.js
   * swaps in when the batch's jobs end; it takes the page's {@code status} and {@code offset}.
   */
  void counts(Context ctx) {
    UUID id = batchId(ctx);
    ObjectNode batch = reads.batch(id).orElseThrow(() -> new Refusal(404, "no batch " + id));
    ctx.contentType("text/html; charset=utf-8").result(live(ctx, batch));
  }

  private String live(Context ctx, ObjectNode batch) {
    UUID id = UUID.fromString(batch.path("id").asText());
    Optional<String> status = status(ctx);
    int offset = offset(ctx);
    ArrayNode jobs = reads.jobs(id, status, JOBS_PAGE + 1, offset);
    StringBuilder html = new StringBuilder("<div class=\"card\">").append(counts(batch));
    if (!finished(batch)) {
      html.append(Html.button("/batches/" + id + "/cancel", "Cancel batch", SessionGate.session(ctx).csrfToken(), "danger"));
    }
    html.append("</div><h2>Jobs").append(status.map(s -> " (" + e(s) + ")").orElse("")).append("</h2>")
        .append("<table class=\"batch-jobs\"><thead><tr><th>Job</th><th>Status</th><th>Stage</th><th>Priority</th></tr></thead><tbody>");
    for (int i = 0; i < Math.min(JOBS_PAGE, jobs.size()); i++) {
      JsonNode job = jobs.get(i);
      String jobId = job.path("id").asText();
      html.append("<tr data-batch-job=\"").append(e(jobId)).append("\"><td><a href=\"/jobs/").append(e(jobId)).append("\">")
          .append(e(jobId)).append("</a></td><td>").append(Html.status(job.path("status").asText())).append("</td><td>")
          .append(e(job, "stage")).append("</td><td>").append(job.path("priority").asInt()).append("</td></tr>");
    }
    if (jobs.isEmpty()) {
      html.append("<tr><td colspan=\"4\" class=\"empty\">No jobs here.</td></tr>");
    }
    return html.append("</tbody></table>").append(pager("/batches/" + id + "?" + status.map(s -> "status=" + s + "&").orElse(""),
        offset, JOBS_PAGE, jobs.size() > JOBS_PAGE)).toString();
  }

  void cancel(Context ctx) {
    UUID id = batchId(ctx);
    switch (cancellation.cancel(id)) {
      case CANCELLED -> Layout.redirect(ctx, "/batches/" + id, "notice", "Cancelled the batch's unfinished jobs.");
      case ALREADY_FINISHED -> Layout.redirect(ctx, "/batches/" + id, "error", "The batch has already finished.");
      case NOT_FOUND -> throw new Refusal(404, "no batch " + id);
    }
  }

  private static boolean finished(JsonNode b) {
    return !b.path("finished_at").isNull() && !b.path("finished_at").isMissingNode();
  }

  private static Optional<String> status(Context ctx) {
    return Optional.ofNullable(ctx.queryParam("status")).filter(BatchReads.JOB_STATUSES::contains);
  }

  private static String counts(JsonNode b) {
    String status = b.path("status").asText();
    boolean finished = finished(b);
    return "<div class=\"batch-head\" data-batch-status=\"" + e(status) + "\" data-finished=\"" + finished + "\">"
        + Html.status(status) + " <span class=\"pipeline\">" + e(b, "pipeline") + "</span> · created "
        + Html.time(b, "created_at") + (finished ? " · finished " + Html.time(b, "finished_at") : "") + "</div>"
        + "<div class=\"progress big batch\" data-status=\"" + e(status) + "\"><div class=\"bar\" style=\"width:" + percent(b) + "%\"></div>"
        + "<span class=\"label\">" + percent(b) + "%</span></div>"
        + "<dl class=\"counts\">" + count("Total", "total_jobs", b) + count("Completed", "completed", b)
        + count("Failed", "failed", b) + count("Cancelled", "cancelled", b) + count("Pending", "pending", b) + "</dl>";
  }

  private static String count(String label, String field, JsonNode b) {
    return "<div><dt>" + e(label) + "</dt><dd data-count=\"" + e(field) + "\">" + b.path(field).asLong() + "</dd></div>";
  }

  private static String bar(JsonNode b) {
    return "<div class=\"progress batch\" data-status=\"" + e(b.path("status").asText()) + "\"><div class=\"bar\" style=\"width:" + percent(b) + "%\"></div>"
        + "<span class=\"label\">" + percent(b) + "%</span></div>";
  }

  private static long percent(JsonNode b) {
    return (long) Math.floor(b.path("progress_percent").asDouble());
  }

  private static String pager(String prefix, int offset, int size, boolean more) {
    StringBuilder pager = new StringBuilder("<p class=\"pager\">");
    if (offset > 0) {
      pager.append("<a href=\"").append(e(prefix)).append("offset=").append(Math.max(0, offset - size)).append("\">Previous</a> ");
    }
    if (more) {
      pager.append("<a href=\"").append(e(prefix)).append("offset=").append(offset + size).append("\">Next</a>");
    }
    return pager.append("</p>").toString();
  }

  private static int offset(Context ctx) {
    try {
      return Math.max(0, Math.min(1_000_000, Integer.parseInt(Optional.ofNullable(ctx.queryParam("offset")).orElse("0"))));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static UUID batchId(Context ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new Refusal(404, "no batch " + ctx.pathParam("id"));
    }
  }
}
