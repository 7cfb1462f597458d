package io.planperfect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.planperfect.config.Settings;
import io.planperfect.dashboard.Dashboard;
import io.planperfect.engine.ActivityReads;
import io.planperfect.engine.JobPriorities;
import io.planperfect.engine.JobSearch;
import io.planperfect.http.IntakeRequestParser;
import io.planperfect.http.Sessions;
import java.time.Clock;
import io.planperfect.engine.BatchCancellation;
import io.planperfect.engine.BatchReads;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.GeneratedPages;
import io.planperfect.engine.QueueStatus;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobReads;
import io.planperfect.http.ApiDocsRoutes;
import io.planperfect.http.ApiKeys;
import io.planperfect.http.ApiServer;
import io.planperfect.http.ApiV1Routes;
import io.planperfect.http.BatchRoutes;
import io.planperfect.http.BulkRoutes;
import io.planperfect.http.CallbackUrls;
import io.planperfect.engine.JobDeliveries;
import io.planperfect.http.GenerationRoutes;
import io.planperfect.http.UsageRoutes;
import io.planperfect.engine.UsageReads;
import io.planperfect.engine.JobChanges;
import io.planperfect.http.EventStreams;
import io.planperfect.http.DeadLetterRoutes;
import io.planperfect.http.DispatchRoutes;
import io.planperfect.http.HealthRoutes;
import io.planperfect.http.JobRoutes;
import io.planperfect.http.MetricsRoutes;
import io.planperfect.http.QueueRoutes;
import io.planperfect.http.RateLimiter;
import io.planperfect.http.RouteTable;
import io.planperfect.http.SchedulerRoutes;
import io.planperfect.http.SeedCompatibleRoutes;
import io.planperfect.http.SweeperRoutes;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.queue.QueueAdmin;
import io.planperfect.scheduler.LiveNodes;
import io.planperfect.scheduler.SchedulerReads;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The HTTP API: each topic's handlers, the route groups by audience over them, one route table, the
 * server; and the dashboard beside it on the same server, over the same engine objects.
 */
final class HttpPart {
  private HttpPart() {}

  static ApiServer start(Settings settings, PipelineRegistry pipelines, ApiKeys keys, DatabasePart db, QueuePart queue,
      EnginePart engine, WorkersPart workers, SchedulerPart scheduler, CallbacksPart callbacks,
      ObservabilityPart observability, OwnedParts parts) {
    Jdbi jdbi = db.jdbi();
    var reads = new JobReads(jdbi);
    var search = new JobSearch(jdbi);
    var cancellation = new JobCancellation(jdbi, engine.jobs(), queue.queue(), engine.changes());
    var priorities = new JobPriorities(jdbi, engine.changes());
    var letters = new DeadLetters(jdbi, engine.jobs(), queue.queue(), queue.announcer(), engine.changes());
    var callbackUrls = new CallbackUrls(callbacks.fetcher());
    var jobs = new JobRoutes(engine.intake(), pipelines, reads, cancellation, search, callbackUrls, new JobDeliveries(jdbi));
    var deadLetters = new DeadLetterRoutes(letters);
    var sweeper = new SweeperRoutes(engine.sweeper());
    var schedulerRoutes = new SchedulerRoutes(scheduler.jobs(), new SchedulerReads(jdbi), scheduler.scheduler());
    var queues = new QueueRoutes(queue.queue(), new QueueAdmin(jdbi), queue.announcer());
    var dispatch = new DispatchRoutes(workers.dispatcher(), workers.stageConfigs(), workers.pool());
    var batchReads = new BatchReads(jdbi);
    var streams = new EventStreams(engine.changes(), reads, batchReads, settings.streams().heartbeat(),
        settings.streams().readTimeout());
    var batchCancellation = new BatchCancellation(jdbi, cancellation);
    var bulk = new BulkRoutes(
        new BatchRoutes(engine.batches(), batchReads, batchCancellation, pipelines, callbackUrls),
        new GenerationRoutes(new GeneratedPages(jdbi), new QueueStatus(jdbi), priorities));
    RouteTable table = RouteTable.of(List.of(
        new HealthRoutes(jdbi, observability.readiness()),
        new MetricsRoutes(observability.metrics()::scrape),
        new ApiDocsRoutes(),
        new SeedCompatibleRoutes(jobs, sweeper, schedulerRoutes, dispatch, pipelines),
        new ApiV1Routes(jobs, deadLetters, sweeper, schedulerRoutes, queues, dispatch, streams),
        bulk,
        new UsageRoutes(new UsageReads(jdbi), Clock.systemUTC())));
    var sessions = new Sessions(keys, Clock.systemUTC());
    var dashboard = new Dashboard(sessions, new Dashboard.Parts(pipelines,
        new IntakeRequestParser(pipelines, Clock.systemUTC(), callbackUrls), engine.intake(), reads, search, cancellation, priorities,
        letters, workers.stageConfigs(), new ActivityReads(jdbi), new SchedulerReads(jdbi), scheduler.jobs(),
        scheduler.scheduler(), new Dashboard.Batches(engine.batches(), batchReads, batchCancellation)));
    var limiter = new RateLimiter(settings.rateLimits(), parts.own(new LiveNodes(jdbi, observability.nodeId()).start()));
    ApiServer server = parts.own(new ApiServer(keys, sessions, table, dashboard, observability.metrics().registry(), limiter));
    streamGauges(observability.metrics().registry(), streams, engine.changes());
    // why owned after the server: the streams close first, while the server can still end their requests
    parts.own(streams);
    return server.start(settings.host(), settings.port());
  }

  /** What live progress holds open on this node: its event streams, and the feed's subscribers of every change. */
  private static void streamGauges(MeterRegistry registry, EventStreams streams, JobChanges changes) {
    Gauge.builder("planperfect.sse.streams.open", streams, EventStreams::openStreams)
        .description("Server-Sent Event streams open on this node (job, batch, every-change and tick streams)")
        .register(registry);
    Gauge.builder("planperfect.change.feed.subscribers", changes, JobChanges::subscribersOfEveryChange)
        .description("Subscribers of every change on this node's change feed (tick streams share one); job and batch streams subscribe by job")
        .register(registry);
  }
}
