package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobReads;
import io.planperfect.http.ApiKeys;
import io.planperfect.http.ApiServer;
import io.planperfect.http.ApiV1Routes;
import io.planperfect.http.UsageRoutes;
import io.planperfect.engine.UsageReads;
import io.planperfect.http.EventStreams;
import io.planperfect.http.DeadLetterRoutes;
import io.planperfect.http.DispatchRoutes;
import io.planperfect.http.HealthRoutes;
import io.planperfect.http.JobRoutes;
import io.planperfect.http.QueueRoutes;
import io.planperfect.http.RouteTable;
import io.planperfect.http.SchedulerRoutes;
import io.planperfect.http.SeedCompatibleRoutes;
import io.planperfect.http.SweeperRoutes;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.queue.QueueAdmin;
import io.planperfect.scheduler.SchedulerReads;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The HTTP API: each topic's handlers, the route groups by audience over them, one route table, the server. */
final class HttpPart {
  private HttpPart() {}

  static ApiServer start(Settings settings, PipelineRegistry pipelines, ApiKeys keys, DatabasePart db, QueuePart queue,
      EnginePart engine, WorkersPart workers, SchedulerPart scheduler, OwnedParts parts) {
    Jdbi jdbi = db.jdbi();
    var jobs = new JobRoutes(engine.intake(), pipelines, new JobReads(jdbi),
        new JobCancellation(jdbi, engine.jobs(), queue.queue(), engine.changes()));
    var deadLetters = new DeadLetterRoutes(new DeadLetters(jdbi, engine.jobs(), queue.queue(), queue.announcer(), engine.changes()));
    var sweeper = new SweeperRoutes(engine.sweeper());
    var schedulerRoutes = new SchedulerRoutes(scheduler.jobs(), new SchedulerReads(jdbi), scheduler.scheduler());
    var queues = new QueueRoutes(queue.queue(), new QueueAdmin(jdbi), queue.announcer());
    var dispatch = new DispatchRoutes(workers.dispatcher(), workers.stageConfigs(), workers.pool());
    var streams = new EventStreams(engine.changes(), new JobReads(jdbi));
    RouteTable table = RouteTable.of(List.of(
        new HealthRoutes(jdbi),
        new SeedCompatibleRoutes(jobs, sweeper, schedulerRoutes, dispatch, pipelines),
        new ApiV1Routes(jobs, deadLetters, sweeper, schedulerRoutes, queues, dispatch, streams),
        new UsageRoutes(new UsageReads(jdbi), java.time.Clock.systemUTC())));
    ApiServer server = parts.own(new ApiServer(keys, table));
    // why owned after the server: the streams close first, while the server can still end their requests
    parts.own(streams);
    return server.start(settings.host(), settings.port());
  }
}
