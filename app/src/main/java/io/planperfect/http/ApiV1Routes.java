package io.planperfect.http;

import static io.planperfect.http.Route.ANY_KEY;
import static io.planperfect.http.Route.SERVICE_KEY;

/** The versioned API, {@code /api/v1}: jobs, dead letters, the sweeper, the scheduler, the queues and the stages. */
public final class ApiV1Routes implements RouteGroup {
  private static final String JOB = "/api/v1/jobs/{id}";
  private static final String DEAD_LETTERS = "/api/v1/dead-letters";
  private static final String SCHEDULER_JOB = "/api/v1/scheduler/jobs/{name}";
  private static final String QUEUES = "/api/v1/queues";
  private static final String QUEUE = QUEUES + "/{queue}";

  private final JobRoutes jobs;
  private final DeadLetterRoutes deadLetters;
  private final SweeperRoutes sweeper;
  private final SchedulerRoutes scheduler;
  private final QueueRoutes queues;
  private final DispatchRoutes dispatch;
  private final EventStreams streams;

  public ApiV1Routes(JobRoutes jobs, DeadLetterRoutes deadLetters, SweeperRoutes sweeper, SchedulerRoutes scheduler,
      QueueRoutes queues, DispatchRoutes dispatch, EventStreams streams) {
    this.streams = streams;
    this.jobs = jobs;
    this.deadLetters = deadLetters;
    this.sweeper = sweeper;
    this.scheduler = scheduler;
    this.queues = queues;
    this.dispatch = dispatch;
  }

  @Override
  public void addTo(RouteTable table) {
    RouteTable.Section api = table.section(Audience.API_V1);
    jobs(api);
    deadLetters(api);
    api.post("/api/v1/sweeper/run", SERVICE_KEY, "Run the sweeper once", sweeper::run);
    scheduler(api);
    queues(api);
    api.get("/api/v1/stages", SERVICE_KEY, "Every stage's config with its backlog", dispatch::list)
        .put("/api/v1/stages/{queue}/{stage}", SERVICE_KEY, "Change a stage's limit, batch, endpoint or retries",
            dispatch::update);
  }

  private void jobs(RouteTable.Section api) {
    api.post("/api/v1/jobs", ANY_KEY, "Submit a job (Idempotency-Key honoured)", jobs::submit)
        .get("/api/v1/jobs", ANY_KEY,
            "Jobs, newest first: ?pipeline=, ?status=, ?stage=, ?priority=, ?batch=, ?q= (title/url), ?created_after=, ?cursor=, ?limit=",
            jobs::list)
        .get(JOB, ANY_KEY, "A job with its stages and progress", jobs::job)
        .get(JOB + "/events", ANY_KEY, "A job's events", jobs::events)
        .post(JOB + "/cancel", ANY_KEY, "Cancel a job that has not finished", jobs::cancel)
        .get(JOB + "/payloads", ANY_KEY, "A job's stage results", jobs::payloads)
        .get(JOB + "/callbacks", ANY_KEY, "A job's completion deliveries (callback_url, e-mail): status, attempts, last answer",
            jobs::callbacks)
        .get(JOB + "/stream", ANY_KEY, "A job's changes with its progress as Server-Sent Events (Last-Event-ID resumes)",
            streams::job)
        .get("/api/v1/stream", SERVICE_KEY, "Every job change as Server-Sent Events: ?pipeline=, ?stage=, ?jobs=id,id (at most 100), Last-Event-ID",
            streams::all)
        .get("/api/v1/ticks/stream", SERVICE_KEY,
            "A \"changed\" event at most every 300 ms while any job changes (for pages that re-read a summary)", streams::ticks)
        .get("/api/v1/batches/{id}/stream", ANY_KEY, "A batch's counts and percent as Server-Sent Events, each time they change",
            streams::batch);
  }

  private void deadLetters(RouteTable.Section api) {
    api.get(DEAD_LETTERS, SERVICE_KEY, "Dead letters, newest first: ?pipeline=, ?all=true, ?limit=", deadLetters::list)
        .get(DEAD_LETTERS + "/{id}", SERVICE_KEY, "One dead letter", deadLetters::show)
        .post(DEAD_LETTERS + "/{id}/replay", SERVICE_KEY, "Resume the job at the dead-lettered stage", deadLetters::replay)
        .post(DEAD_LETTERS + "/{id}/discard", SERVICE_KEY, "Mark a dead letter discarded", deadLetters::discard);
  }

  private void scheduler(RouteTable.Section api) {
    api.get("/api/v1/scheduler/status", SERVICE_KEY, "Scheduler status (seed 003's action=status)", scheduler::status)
        .get("/api/v1/scheduler/health", SERVICE_KEY, "Scheduler health (seed 003's action=health)", scheduler::health)
        .get("/api/v1/scheduler/jobs", SERVICE_KEY, "Every scheduler job", scheduler::jobs)
        .get(SCHEDULER_JOB, SERVICE_KEY, "One scheduler job with its latest runs", scheduler::job)
        .get(SCHEDULER_JOB + "/runs", SERVICE_KEY, "A scheduler job's runs, newest first: ?limit=", scheduler::runs)
        .put(SCHEDULER_JOB, SERVICE_KEY, "Change a scheduler job's schedule, enabled or timeout", scheduler::update)
        .post(SCHEDULER_JOB + "/trigger", SERVICE_KEY, "Ask for one run of a scheduler job now", scheduler::triggerJob);
  }

  private void queues(RouteTable.Section api) {
    api.get(QUEUES, SERVICE_KEY, "Every queue with its metrics", queues::list)
        .post(QUEUES, SERVICE_KEY, "Create a queue", queues::create)
        .delete(QUEUE, SERVICE_KEY, "Drop a queue", queues::drop)
        .get(QUEUE + "/metrics", SERVICE_KEY, "A queue's metrics, per stage too", queues::metrics)
        .get(QUEUE + "/archive", SERVICE_KEY, "A queue's archived messages: ?job_id=", queues::archived)
        .post(QUEUE + "/messages", SERVICE_KEY, "Send one message or a batch", queues::send)
        .post(QUEUE + "/read", SERVICE_KEY, "Claim messages for a visibility timeout", queues::readMessages)
        .post(QUEUE + "/pop", SERVICE_KEY, "Read and delete messages", queues::popMessages)
        .post(QUEUE + "/archive", SERVICE_KEY, "Archive claimed messages", queues::archiveMessages)
        .post(QUEUE + "/delete", SERVICE_KEY, "Delete messages", queues::deleteMessages)
        .post(QUEUE + "/extend-visibility", SERVICE_KEY, "Extend a claimed message's visibility", queues::extend)
        .post(QUEUE + "/requeue", SERVICE_KEY, "Put a claimed message back after an exponential backoff", queues::requeue)
        .post(QUEUE + "/dead-letter", SERVICE_KEY, "Move a claimed message to the dead letters", queues::deadLetter)
        .post(QUEUE + "/purge", SERVICE_KEY, "Delete every message of a queue", queues::purge);
  }
}
