package io.planperfect.http;

import static io.planperfect.http.Route.ANY_KEY;
import static io.planperfect.http.Route.SERVICE_KEY;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.List;

/** The routes the seed's clients call, with the seed's paths, keys and answers. */
public final class SeedCompatibleRoutes implements RouteGroup {
  private final JobRoutes jobs;
  private final SweeperRoutes sweeper;
  private final SchedulerRoutes scheduler;
  private final DispatchRoutes dispatch;
  private final PipelineRegistry pipelines;

  public SeedCompatibleRoutes(JobRoutes jobs, SweeperRoutes sweeper, SchedulerRoutes scheduler, DispatchRoutes dispatch,
      PipelineRegistry pipelines) {
    this.jobs = jobs;
    this.sweeper = sweeper;
    this.scheduler = scheduler;
    this.dispatch = dispatch;
    this.pipelines = pipelines;
  }

  @Override
  public void addTo(RouteTable table) {
    RouteTable.Section seed = table.section(Audience.SEED_COMPATIBLE);
    seed.post("/functions/v1/content-intake", ANY_KEY, "Submit a job (seed 001's content intake)", jobs::submit)
        .get("/rest/v1/content_jobs", ANY_KEY, "Poll jobs PostgREST-style: ?id=eq.<uuid>, ?status=eq.<status>",
            jobs::restContentJobs)
        .post("/functions/v1/sweeper", SERVICE_KEY, "Run the sweeper once (seed 003)", sweeper::run)
        .get("/functions/v1/scheduler", SERVICE_KEY,
            "Scheduler status, jobs or health (?action=status|jobs|health), wrapped in {success, data}",
            scheduler::seedRead)
        .post("/functions/v1/scheduler", SERVICE_KEY,
            "Enable, disable or trigger a scheduler job (?action=toggle|trigger&job=…)", scheduler::seedWrite)
        .post("/functions/v1/content-queue-dispatcher", SERVICE_KEY, "Run one dispatch cycle (seed 000)",
            dispatch::runDispatcher);
    // Seed 002's intake and its older name, both with the payload's fields at the top level of the body.
    if (pipelines.forJobType("pageperfect").isPresent()) {
      for (String path : List.of("/functions/v1/pageperfect-intake", "/functions/v1/pageperfect-workflow")) {
        seed.post(path, ANY_KEY, "Submit a PagePerfect job: url or pageId, keywords, skipSteps (seed 002's intake)",
            jobs.submitAs("pageperfect"));
      }
    }
    for (PipelineDefinition pipeline : pipelines.all()) {
      for (String stage : pipeline.stageNames()) {
        seed.post("/functions/v1/" + pipeline.queue() + "-" + stage + "-worker", SERVICE_KEY,
            "Run one ready " + pipeline.queue() + "/" + stage + " message on this node (seed 001's worker endpoint)",
            dispatch.worker(pipeline.queue(), stage));
      }
    }
  }
}
