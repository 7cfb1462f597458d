package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.planperfect.dispatch.StageConfigRepository;
import io.planperfect.engine.ActivityReads;
import io.planperfect.engine.BatchCancellation;
import io.planperfect.engine.BatchIntake;
import io.planperfect.engine.BatchReads;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobPriorities;
import io.planperfect.engine.JobReads;
import io.planperfect.engine.JobSearch;
import io.planperfect.http.IntakeRequestParser;
import io.planperfect.http.Sessions;
import io.planperfect.http.WebSite;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.scheduler.Scheduler;
import io.planperfect.scheduler.SchedulerJobs;
import io.planperfect.scheduler.SchedulerReads;

/**
 * The dashboard: server-rendered pages at {@code /} beside the API, on the same server. Every path
 * that is not the API's passes the {@link SessionGate} first; the pages call the same engine,
 * dispatch and scheduler operations as the API's routes. htmx, its SSE extension and Chart.js are
 * served from their webjars (which {@code ApiServer} serves), the dashboard's own CSS and script from {@code /assets}.
 */
public final class Dashboard implements WebSite {
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

  /**
   * What the pages read and change, all made by the node's wiring: the same objects the API's
   * routes use. {@code localScheduler} is null on a node whose scheduler is off.
   */
  public record Parts(PipelineRegistry pipelines, IntakeRequestParser parser, Intake intake, JobReads reads,
      JobSearch search, JobCancellation cancellation, JobPriorities priority, DeadLetters deadLetters,
      StageConfigRepository stageConfigs, ActivityReads activity, SchedulerReads schedulerReads,
      SchedulerJobs schedulerJobs, Scheduler localScheduler, Batches batches) {}

  /** Batches: the same intake, reads and cancellation as {@code /api/v1/batches}. */
  public record Batches(BatchIntake intake, BatchReads reads, BatchCancellation cancellation) {}

  private record Pages(LoginPage login, OverviewPage overview, JobsPage jobs, JobDetailPage job, GeneratePage generate,
      DeadLettersPage deadLetters, SchedulerPage scheduler, StagesPage stages, BatchesPage batches,
      BatchUploadPage upload) {}

  private final SessionGate gate;
  private final Pages pages;

  public Dashboard(Sessions sessions, Parts parts) {
    this.gate = new SessionGate(sessions);
    var upload = new BatchUploadPage(parts.parser(), parts.batches().intake(), parts.pipelines());
    this.pages = new Pages(
        new LoginPage(sessions),
        new OverviewPage(parts.pipelines(), parts.stageConfigs(), parts.activity()),
        new JobsPage(parts.pipelines(), parts.search(), parts.reads(), parts.cancellation(), parts.deadLetters()),
        new JobDetailPage(parts.reads(), parts.cancellation(), parts.priority(), parts.deadLetters()),
        new GeneratePage(parts.parser(), parts.intake(), parts.pipelines(), upload),
        new DeadLettersPage(parts.deadLetters(), parts.reads(), parts.pipelines()),
        new SchedulerPage(parts.schedulerReads(), parts.schedulerJobs(), parts.localScheduler()),
        new StagesPage(parts.stageConfigs()),
        new BatchesPage(parts.batches().reads(), parts.batches().cancellation()), upload);
  }

  @Override
  public void configure(JavalinConfig config) {
    // why: the CSV upload is the only multipart form; Javalin's default takes files of any size
    config.jetty.multipartConfig.maxFileSize(BatchUploadPage.MAX_BYTES, io.javalin.config.SizeUnit.BYTES);
    config.jetty.multipartConfig.maxTotalRequestSize(BatchUploadPage.MAX_BYTES + 64 * 1024, io.javalin.config.SizeUnit.BYTES);
    config.staticFiles.add(files -> {
      files.hostedPath = "/assets";
      files.directory = "/dashboard/assets";
      files.location = Location.CLASSPATH;
    });
    var routes = config.routes;
    routes.before(this::guard);
    routes.exception(Refusal.class, Dashboard::refused);
    routes.get("/login", pages.login()::show).post("/login", pages.login()::login).post("/logout", pages.login()::logout);
    routes.get("/", pages.overview()::show).get("/overview/table", pages.overview()::table)
        .get("/overview/charts", pages.overview()::charts);
    routes.get("/jobs", pages.jobs()::show).get("/jobs/progress", pages.jobs()::progress)
        .post("/jobs/bulk", pages.jobs()::bulk)
        .get("/jobs/{id}", pages.job()::show).post("/jobs/{id}/cancel", pages.job()::cancel)
        .post("/jobs/{id}/replay", pages.job()::replay).post("/jobs/{id}/priority", pages.job()::changePriority);
    routes.get("/generate", pages.generate()::show).post("/generate", pages.generate()::submit)
        .post("/generate/csv", pages.upload()::preview).post("/generate/batch", pages.upload()::submit);
    routes.get("/batches", pages.batches()::list).get("/batches/{id}", pages.batches()::show)
        .get("/batches/{id}/counts", pages.batches()::counts).post("/batches/{id}/cancel", pages.batches()::cancel);
    routes.get("/dead-letters", pages.deadLetters()::show).post("/dead-letters/group", pages.deadLetters()::group)
        .post("/dead-letters/{id}/replay", pages.deadLetters()::replay)
        .post("/dead-letters/{id}/discard", pages.deadLetters()::discard)
        .get("/dead-letters/{id}/edit", pages.deadLetters()::edit)
        .post("/dead-letters/{id}/edit", pages.deadLetters()::saveAndReplay);
    routes.get("/scheduler", pages.scheduler()::show).post("/scheduler/{name}/toggle", pages.scheduler()::toggle)
        .post("/scheduler/{name}/trigger", pages.scheduler()::trigger);
    routes.get("/stages", pages.stages()::show).get("/stages/table", pages.stages()::table)
        .post("/stages/{queue}/{stage}", pages.stages()::update);
  }

  private void guard(Context ctx) {
    gate.check(ctx);
    if (!ctx.path().startsWith("/api/") && !ctx.path().startsWith("/functions/") && !ctx.path().startsWith("/rest/")) {
      ctx.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
          .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "same-origin");
    }
  }

  /** No session: a page goes to the login; anything else is told why in a small page. */
  private static void refused(Refusal refusal, Context ctx) {
    if (refusal.status() == 401 && io.javalin.http.HandlerType.GET.equals(ctx.method()) && ctx.header("HX-Request") == null) {
      ctx.redirect("/login");
      return;
    }
    if (refusal.status() == 401 && ctx.header("HX-Request") != null) {
      ctx.header("HX-Redirect", "/login");
    }
    ctx.status(refusal.status()).contentType("text/html; charset=utf-8").result("""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>%d · PlanPerfect</title>
        <link rel="stylesheet" href="/assets/dashboard.css"></head><body class="login"><main>
        <h1>%d</h1><p class="flash error" role="alert">%s</p><p><a href="/">Back</a> · <a href="/login">Log in</a></p>
        </main></body></html>""".formatted(refusal.status(), refusal.status(), e(refusal.getMessage())));
  }
}
