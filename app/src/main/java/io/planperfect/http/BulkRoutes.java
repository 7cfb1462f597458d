package io.planperfect.http;

import static io.planperfect.http.Route.ANY_KEY;

/** Issue 17's part of {@code /api/v1}: batches, generated pages, a queue's status and a job's priority. */
public final class BulkRoutes implements RouteGroup {
  private static final String BATCH = "/api/v1/batches/{id}";

  private final BatchRoutes batches;
  private final GenerationRoutes generation;

  public BulkRoutes(BatchRoutes batches, GenerationRoutes generation) {
    this.batches = batches;
    this.generation = generation;
  }

  @Override
  public void addTo(RouteTable table) {
    table.section(Audience.API_V1)
        .post("/api/v1/batches", ANY_KEY, "Submit a batch of jobs: a JSON array of job bodies or text/csv (?job_type=, ?callback_url=)",
            batches::submit)
        .get("/api/v1/batches", ANY_KEY, "Batches, newest first: ?limit=, ?offset=", batches::list)
        .get(BATCH, ANY_KEY, "A batch's progress and counts, with a page of its job ids: ?job_status=, ?limit=, ?offset=",
            batches::batch)
        .post(BATCH + "/cancel", ANY_KEY, "Cancel a batch's unfinished jobs", batches::cancel)
        .get("/api/v1/pages", ANY_KEY, "Generated pages, newest first, without bodies: ?batch_id=, ?limit=, ?offset=",
            generation::pages)
        .get("/api/v1/pages/{id}", ANY_KEY, "A generated page (its id is its generation job's id)", generation::page)
        .get("/api/v1/jobs/{id}/page", ANY_KEY, "The page a generation job stored", generation::page)
        .get("/api/v1/queues/{queue}/status", ANY_KEY, "A queue's status: pending, processing, high, normal, low, total, maxConcurrency",
            generation::queueStatus)
        .patch("/api/v1/jobs/{id}", ANY_KEY, "Change a waiting job's priority: {\"priority\": \"HIGH\"}", generation::changePriority);
  }
}
