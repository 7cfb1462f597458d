package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.planperfect.http.Sessions;
import io.planperfect.scheduler.Scheduler;
import io.planperfect.scheduler.SchedulerJobs;
import io.planperfect.scheduler.SchedulerReads;

/** The scheduler's jobs: schedule, next run, last runs; toggle one on or off, or trigger a run now. */
final class SchedulerPage {
  private static final int RUNS_SHOWN = 5;

  private final SchedulerReads reads;
  private final SchedulerJobs jobs;
  private final Scheduler localScheduler;

  /** {@code localScheduler} is null on a node whose scheduler is off (another node runs the jobs). */
  SchedulerPage(SchedulerReads reads, SchedulerJobs jobs, Scheduler localScheduler) {
    this.reads = reads;
    this.jobs = jobs;
    this.localScheduler = localScheduler;
  }

  void show(Context ctx) {
    Sessions.Session session = SessionGate.session(ctx);
    StringBuilder body = new StringBuilder("<table class=\"scheduler\"><thead><tr><th>Job</th><th>Schedule</th>")
        .append("<th>Active</th><th>Next run</th><th>Last runs</th><th></th></tr></thead><tbody>");
    for (JsonNode job : reads.jobs().path("jobs")) {
      String name = job.path("job_name").asText();
      boolean active = job.path("active").asBoolean();
      body.append("<tr data-scheduler-job=\"").append(e(name)).append("\"><td><strong>").append(e(name))
          .append("</strong><br><small>").append(e(job, "description")).append("</small></td><td><code>")
          .append(e(job, "schedule")).append("</code></td><td>").append(Html.status(active ? "active" : "inactive"))
          .append("</td><td>").append(Html.time(job, "next_run").isEmpty() ? "—" : Html.time(job, "next_run"))
          .append("</td><td><ul class=\"runs\">");
      var runs = reads.runs(name, RUNS_SHOWN);
      if (runs.isEmpty()) {
        body.append("<li class=\"empty\">none yet</li>");
      }
      for (JsonNode run : runs) {
        body.append("<li>").append(Html.status(run.path("status").asText())).append(" ").append(Html.time(run, "started_at"))
            .append(run.path("error_message").isTextual() ? " — " + e(run, "error_message") : "").append("</li>");
      }
      body.append("</ul></td><td>")
          .append(Html.button("/scheduler/" + name + "/toggle", active ? "Disable" : "Enable", session.csrfToken(), ""))
          .append(Html.button("/scheduler/" + name + "/trigger", "Run now", session.csrfToken(), ""))
          .append("</td></tr>");
    }
    body.append("</tbody></table>");
    Layout.render(ctx, "Scheduler", "/scheduler", body.toString());
  }

  void toggle(Context ctx) {
    String name = ctx.pathParam("name");
    boolean active = reads.job(name, 0).orElseThrow(() -> new Refusal(404, "no scheduler job " + name)).path("active").asBoolean();
    SchedulerJobs.Toggle toggle = jobs.toggle(name, !active);
    wake();
    Layout.redirect(ctx, "/scheduler", toggle.success() ? "notice" : "error", toggle.message());
  }

  void trigger(Context ctx) {
    String name = ctx.pathParam("name");
    jobs.requestRun(name).orElseThrow(() -> new Refusal(404, "no scheduler job " + name));
    wake();
    Layout.redirect(ctx, "/scheduler", "notice", "Asked for a run of " + name + " now.");
  }

  private void wake() {
    if (localScheduler != null) {
      localScheduler.wakeUp();
    }
  }
}
