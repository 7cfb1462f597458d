package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobPriorities;
import io.planperfect.engine.JobReads;
import io.planperfect.http.Sessions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * One job: its stage timeline (status, attempts, durations, last error), events, each stage's
 * payload, the rendered article, AI usage and cost when the job has them, and its actions (cancel;
 * with the service key, replay its dead letter and change its priority).
 */
final class JobDetailPage {
  private final JobReads reads;
  private final JobCancellation cancellation;
  private final JobPriorities priority;
  private final DeadLetters deadLetters;

  JobDetailPage(JobReads reads, JobCancellation cancellation, JobPriorities priority, DeadLetters deadLetters) {
    this.reads = reads;
    this.cancellation = cancellation;
    this.priority = priority;
    this.deadLetters = deadLetters;
  }

  void show(Context ctx) {
    UUID id = jobId(ctx);
    ObjectNode job = reads.job(id).orElseThrow(() -> new Refusal(404, "no job " + id));
    Sessions.Session session = SessionGate.session(ctx);
    String status = job.path("status").asText();
    StringBuilder body = new StringBuilder();
    body.append("<section class=\"summary\"><dl>")
        .append(row("Job", "<code>" + e(id) + "</code>"))
        .append(row("Pipeline", e(job, "pipeline") + " · " + e(job, "job_type")))
        .append(row("Status", "<span class=\"live-status\" data-job-status=\"" + e(id) + "\">" + Html.status(status) + "</span>"))
        .append(row("Stage", e(job, "stage")))
        .append(row("Priority", e(job, "priority")))
        .append(row("Created", Html.time(job, "created_at")))
        .append("</dl>")
        .append(Html.progress(id.toString(), job.path("progress").path("percent").asLong(), status)
            .replace("class=\"progress\"", "class=\"progress big\" data-live-job=\"" + e(id) + "\""))
        .append("</section>");
    body.append(actions(id, job, session));
    body.append(UsageTable.render(job.path("usage")));
    timeline(job, body);
    String article = ArticleRenderer.render(reads.payloads(id));
    if (article != null) {
      body.append("<h2>Article</h2><article class=\"rendered\">").append(article).append("</article>");
    }
    body.append("<h2>Stage payloads</h2>");
    for (JsonNode payload : reads.payloads(id)) {
      body.append("<details><summary>").append(e(payload, "stage")).append("</summary><pre>")
          .append(Html.json(payload.path("data"))).append("</pre></details>");
    }
    body.append("<details><summary>Job input</summary><pre>").append(Html.json(job.path("payload"))).append("</pre></details>");
    events(id, body);
    Layout.render(ctx, Optional.ofNullable(job.path("payload").path("title").textValue()).orElse("Job " + id), "/jobs",
        body.toString());
  }

  void cancel(Context ctx) {
    UUID id = jobId(ctx);
    String message = switch (cancellation.cancel(id)) {
      case CANCELLED -> "Job cancelled.";
      case NOT_FOUND -> "No such job.";
      case ALREADY_FINISHED -> "The job has already finished.";
    };
    Layout.redirect(ctx, "/jobs/" + id, message.equals("Job cancelled.") ? "notice" : "error", message);
  }

  void replay(Context ctx) {
    UUID id = jobId(ctx);
    Optional<Long> letter = deadLetters.openLetterOf(id);
    boolean done = letter.isPresent() && deadLetters.replay(letter.get()) == DeadLetters.Outcome.DONE;
    Layout.redirect(ctx, "/jobs/" + id, done ? "notice" : "error",
        done ? "Replayed from the dead-lettered stage." : "This job has no open dead letter to replay.");
  }

  void changePriority(Context ctx) {
    UUID id = jobId(ctx);
    int value;
    try {
      value = Integer.parseInt(Optional.ofNullable(ctx.formParam("priority")).orElse("").trim());
      if (value < -100 || value > 100) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      Layout.redirect(ctx, "/jobs/" + id, "error", "priority must be a whole number from -100 to 100");
      return;
    }
    JobPriorities.Outcome outcome = priority.change(id, value);
    Layout.redirect(ctx, "/jobs/" + id, outcome == JobPriorities.Outcome.CHANGED ? "notice" : "error",
        outcome == JobPriorities.Outcome.CHANGED ? "Priority set to " + value + "." : "The job has already finished.");
  }

  private String actions(UUID id, ObjectNode job, Sessions.Session session) {
    String status = job.path("status").asText();
    boolean finished = status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    StringBuilder html = new StringBuilder("<section class=\"actions\">");
    if (!finished) {
      html.append(Html.button("/jobs/" + id + "/cancel", "Cancel job", session.csrfToken(), "danger"));
    }
    if (session.isService()) {
      if (status.equals("failed")) {
        html.append(Html.button("/jobs/" + id + "/replay", "Replay", session.csrfToken(), ""));
      }
      if (!finished) {
        html.append("<form method=\"post\" action=\"/jobs/").append(e(id)).append("/priority\" class=\"inline\">")
            .append(Html.csrf(session.csrfToken()))
            .append("<label>Priority <input type=\"number\" name=\"priority\" min=\"-100\" max=\"100\" value=\"")
            .append(job.path("priority").asInt()).append("\"></label><button type=\"submit\">Change</button></form>");
      }
    }
    return html.append("</section>").toString();
  }

  private static void timeline(ObjectNode job, StringBuilder body) {
    body.append("<h2>Stages</h2><table class=\"timeline\"><thead><tr><th>#</th><th>Stage</th><th>Status</th>")
        .append("<th>Attempts</th><th>Started</th><th>Finished</th><th>Duration</th><th>Last error</th></tr></thead><tbody>");
    for (JsonNode stage : job.path("stages")) {
      body.append("<tr data-stage=\"").append(e(stage, "stage")).append("\"><td>").append(stage.path("position").asInt())
          .append("</td><td>").append(e(stage, "stage")).append("</td><td>").append(Html.status(stage.path("status").asText()))
          .append("</td><td>").append(stage.path("attempt_count").asInt()).append(" / ").append(stage.path("max_attempts").asInt())
          .append("</td><td>").append(Html.timeMillis(stage, "started_at")).append("</td><td>").append(Html.timeMillis(stage, "finished_at"))
          .append("</td><td>").append(duration(stage)).append("</td><td class=\"error\">")
          .append(stage.path("last_error").isMissingNode() || stage.path("last_error").isNull() ? ""
              : e(stage.path("last_error").path("message").asText(stage.path("last_error").toString())))
          .append("</td></tr>");
    }
    body.append("</tbody></table>");
  }

  private void events(UUID id, StringBuilder body) {
    body.append("<h2>Events</h2><table class=\"events\"><thead><tr><th>#</th><th>At</th><th>Stage</th><th>Event</th>")
        .append("<th>Message</th></tr></thead><tbody>");
    for (JsonNode event : reads.events(id)) {
      body.append("<tr><td>").append(e(event, "seq")).append("</td><td>").append(Html.timeMillis(event, "created_at")).append("</td><td>")
          .append(e(event, "stage")).append("</td><td>").append(e(event, "event_type")).append("</td><td>")
          .append(e(event, "message")).append("</td></tr>");
    }
    body.append("</tbody></table>");
  }

  private static String duration(JsonNode stage) {
    try {
      if (!stage.path("started_at").isTextual() || !stage.path("finished_at").isTextual()) {
        return "";
      }
      Duration d = Duration.between(OffsetDateTime.parse(stage.path("started_at").asText()),
          OffsetDateTime.parse(stage.path("finished_at").asText()));
      return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String row(String label, String html) {
    return "<dt>" + e(label) + "</dt><dd>" + html + "</dd>";
  }

  private static UUID jobId(Context ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new Refusal(404, "no job " + ctx.pathParam("id"));
    }
  }
}
