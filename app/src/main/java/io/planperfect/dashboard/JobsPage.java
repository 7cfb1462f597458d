package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobReads;
import io.planperfect.engine.JobSearch;
import io.planperfect.engine.JobStatus;
import io.planperfect.http.ApiError;
import io.planperfect.http.JobListQuery;
import io.planperfect.http.Sessions;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job list: the API's filters ({@link JobListQuery}) as a form, a page at a time, a live progress
 * bar per job, and bulk cancel (any session) and retry (service key: replays the job's dead letter).
 */
final class JobsPage {
  private static final int MAX_PROGRESS_IDS = 100;
  private static final List<String> FILTERS = List.of("pipeline", "status", "stage", "priority", "batch", "q", "created_after");

  private final PipelineRegistry pipelines;
  private final JobSearch search;
  private final JobReads reads;
  private final JobCancellation cancellation;
  private final DeadLetters deadLetters;

  JobsPage(PipelineRegistry pipelines, JobSearch search, JobReads reads, JobCancellation cancellation,
      DeadLetters deadLetters) {
    this.pipelines = pipelines;
    this.search = search;
    this.reads = reads;
    this.cancellation = cancellation;
    this.deadLetters = deadLetters;
  }

  void show(Context ctx) {
    Sessions.Session session = SessionGate.session(ctx);
    JobSearch.Page page;
    try {
      page = search.page(JobListQuery.filter(ctx::queryParam), JobListQuery.cursor(ctx::queryParam),
          JobListQuery.limit(ctx::queryParam));
    } catch (ApiError | JobSearch.BadCursor e) {
      Layout.render(ctx.status(400), "Jobs", "/jobs", filterForm(ctx) + "<p class=\"flash error\">" + e(e.getMessage()) + "</p>");
      return;
    }
    StringBuilder body = new StringBuilder(filterForm(ctx));
    body.append("<form method=\"post\" action=\"/jobs/bulk\" id=\"bulk\">").append(Html.csrf(session.csrfToken()))
        .append("<div class=\"toolbar\"><button type=\"submit\" name=\"action\" value=\"cancel\">Cancel selected</button>");
    if (session.isService()) {
      body.append("<button type=\"submit\" name=\"action\" value=\"retry\">Retry selected</button>");
    }
    body.append("</div><table class=\"jobs\"><thead><tr><th><input type=\"checkbox\" id=\"select-all\" aria-label=\"select all\"></th>")
        .append("<th>Title / URL</th><th>Pipeline</th><th>Status</th><th>Stage</th><th>Priority</th><th>Progress</th><th>Created</th></tr></thead><tbody>");
    for (JsonNode job : page.jobs()) {
      String id = job.path("id").asText();
      body.append("<tr data-row-job=\"").append(e(id)).append("\"><td><input type=\"checkbox\" name=\"ids\" value=\"")
          .append(e(id)).append("\" aria-label=\"select\"></td>")
          .append("<td><a href=\"/jobs/").append(e(id)).append("\">")
          .append(job.path("title").asText().isBlank() ? e(id) : e(job, "title")).append("</a></td>")
          .append("<td>").append(e(job, "pipeline")).append("</td>")
          .append("<td class=\"status\">").append(Html.status(job.path("status").asText())).append("</td>")
          .append("<td class=\"stage\">").append(e(job, "stage")).append("</td>")
          .append("<td>").append(job.path("priority").asInt()).append("</td>")
          .append("<td>").append(Html.progress(id, job.path("percent").asLong(), job.path("status").asText())).append("</td>")
          .append("<td><time>").append(Html.time(job, "created_at")).append("</time></td></tr>");
    }
    if (page.jobs().isEmpty()) {
      body.append("<tr><td colspan=\"8\" class=\"empty\">No jobs match.</td></tr>");
    }
    body.append("</tbody></table></form>");
    page.nextCursor().ifPresent(cursor -> body.append("<p><a class=\"next\" href=\"/jobs?")
        .append(e(query(ctx))).append("cursor=").append(e(URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
        .append("\">Next page →</a></p>"));
    Layout.render(ctx, "Jobs", "/jobs", body.toString());
  }

  /** {@code GET /jobs/progress?ids=a,b}: each job's status, stage and percent, for the live bars. */
  void progress(Context ctx) {
    ObjectNode answer = Json.object();
    String ids = Optional.ofNullable(ctx.queryParam("ids")).orElse("");
    for (String text : ids.split(",")) {
      if (answer.size() >= MAX_PROGRESS_IDS || text.isBlank()) {
        continue;
      }
      UUID id;
      try {
        id = UUID.fromString(text.trim());
      } catch (IllegalArgumentException e) {
        continue;
      }
      reads.job(id).ifPresent(job -> answer.set(id.toString(), Json.object()
          .put("status", job.path("status").asText())
          .put("stage", job.path("stage").asText())
          .put("percent", job.path("progress").path("percent").asLong())));
    }
    ctx.json(answer);
  }

  /** {@code POST /jobs/bulk}: cancel or retry the selected jobs, each through the same engine call as the API. */
  void bulk(Context ctx) {
    String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
    List<String> ids = ctx.formParams("ids");
    if (action.equals("retry") && !SessionGate.session(ctx).isService()) {
      throw new Refusal(403, "retrying needs the service key");
    }
    int done = 0;
    int skipped = 0;
    for (String text : ids) {
      UUID id;
      try {
        id = UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        skipped++;
        continue;
      }
      boolean ok = switch (action) {
        case "cancel" -> cancellation.cancel(id) == JobCancellation.Outcome.CANCELLED;
        case "retry" -> deadLetters.openLetterOf(id).map(letter -> deadLetters.replay(letter) == DeadLetters.Outcome.DONE)
            .orElse(false);
        default -> throw new Refusal(400, "action must be cancel or retry");
      };
      if (ok) {
        done++;
      } else {
        skipped++;
      }
    }
    String verb = action.equals("cancel") ? "Cancelled" : "Retried";
    Layout.redirect(ctx, "/jobs", "notice", verb + " " + done + " job(s)" + (skipped > 0 ? "; " + skipped
        + " skipped (already finished, or nothing to retry)" : "") + ".");
  }

  private String filterForm(Context ctx) {
    StringBuilder form = new StringBuilder("<form method=\"get\" action=\"/jobs\" class=\"filters\">");
    form.append("<label>Pipeline <select name=\"pipeline\"><option value=\"\">any</option>");
    for (PipelineDefinition pipeline : pipelines.all()) {
      form.append(option(pipeline.name(), ctx.queryParam("pipeline")));
    }
    form.append("</select></label><label>Status <select name=\"status\"><option value=\"\">any</option>");
    for (JobStatus status : JobStatus.values()) {
      form.append(option(status.value(), ctx.queryParam("status")));
    }
    form.append("</select></label><label>Stage <select name=\"stage\"><option value=\"\">any</option>");
    pipelines.all().stream().flatMap(p -> p.stageNames().stream()).distinct()
        .forEach(stage -> form.append(option(stage, ctx.queryParam("stage"))));
    form.append("</select></label>")
        .append("<label>Priority <input type=\"number\" name=\"priority\" min=\"-100\" max=\"100\" value=\"")
        .append(e(ctx.queryParam("priority"))).append("\"></label>")
        .append("<label>Batch <input name=\"batch\" size=\"12\" placeholder=\"batch id\" value=\"")
        .append(e(ctx.queryParam("batch"))).append("\"></label>")
        .append("<label>Search <input type=\"search\" name=\"q\" placeholder=\"title or url\" value=\"")
        .append(e(ctx.queryParam("q"))).append("\"></label>")
        .append("<button type=\"submit\">Filter</button></form>");
    return form.toString();
  }

  private static String option(String value, String selected) {
    return "<option" + (value.equals(selected) ? " selected" : "") + ">" + e(value) + "</option>";
  }

  /** The current filters as a query string prefix ("a=b&"), for the next page's link. */
  private static String query(Context ctx) {
    StringBuilder query = new StringBuilder();
    for (String name : FILTERS) {
      String value = ctx.queryParam(name);
      if (value != null && !value.isBlank()) {
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
      }
    }
    return query.toString();
  }
}
