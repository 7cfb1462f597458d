package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.planperfect.engine.JobChange;
import io.planperfect.engine.JobChanges;
import io.planperfect.engine.JobReads;
import io.planperfect.json.Json;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events over the change feed ({@link JobChanges}): one job's changes with its progress,
 * and every change (service key, filtered by pipeline and stage). Each event's id is the change's
 * sequence number; a client that reconnects with {@code Last-Event-ID} (or {@code ?last_event_id=})
 * gets every change after it from the event trail, then the live ones.
 *
 * <p>No thread per client: a stream is a bounded backlog that the feed's thread fills and a small
 * pool of writers drains, one writer at a time per stream. A client whose backlog passes
 * {@link #MAX_BACKLOG} (it reads slower than changes arrive) is closed, not buffered without bound;
 * it may reconnect with its last id. A comment every {@link #HEARTBEAT} keeps proxies from closing
 * idle streams.
 */
public final class EventStreams implements AutoCloseable {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final int MAX_BACKLOG = 1_000;
  private static final int WRITERS = 4;
  private static final Set<String> JOB_ENDS = Set.of("job_completed", "dead_lettered", "cancelled");
  private static final Object HEARTBEAT_MARK = new Object();
  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

  private final JobChanges changes;
  private final JobReads reads;
  private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, daemon("pp-sse-writer"));
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("pp-sse-heartbeat"));
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();

  public EventStreams(JobChanges changes, JobReads reads) {
    this.changes = changes;
    this.reads = reads;
    heartbeats.scheduleAtFixedRate(() -> open.forEach(s -> s.enqueue(HEARTBEAT_MARK)),
        HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How many streams are open on this node. */
  public int openStreams() {
    return open.size();
  }

  /**
   * {@code GET /api/v1/jobs/{id}/stream}: a snapshot of the job, then each of its changes with its
   * progress; when the job ends, a "result" event and "end". A client resuming after an event id
   * gets every change of the job it missed first.
   */
  void job(Context ctx) throws Exception {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    Optional<Long> after = lastEventId(ctx);
    long position = after.orElseGet(changes::latest);
    ObjectNode job = reads.job(id).orElseThrow(() -> ApiError.notFound("no job " + id));
    JobProgress progress = new JobProgress(job);
    boolean nothingMore = progress.finished() && reads.lastEventSeq(id) <= position;
    new SseHandler(client -> {
      Stream stream = new Stream(client, change -> change.jobId().equals(id), progress);
      stream.send("snapshot", job, position);
      if (nothingMore) {
        stream.end();
        return;
      }
      stream.follow(position);
    }).handle(ctx);
  }

  /** {@code GET /api/v1/stream}: every change from now (or after Last-Event-ID), optionally of one pipeline or stage. */
  void all(Context ctx) throws Exception {
    Optional<Long> after = lastEventId(ctx);
    String pipeline = ctx.queryParam("pipeline");
    String stage = ctx.queryParam("stage");
    Predicate<JobChange> filter = change -> (pipeline == null || pipeline.equals(change.pipeline()))
        && (stage == null || stage.equals(change.stage()));
    long position = after.orElseGet(changes::latest);
    new SseHandler(client -> new Stream(client, filter, null).follow(position)).handle(ctx);
  }

  private static Optional<Long> lastEventId(Context ctx) {
    String header = Optional.ofNullable(ctx.header("Last-Event-ID")).orElse(ctx.queryParam("last_event_id"));
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      long id = Long.parseLong(header.trim());
      if (id < 0) {
        throw new NumberFormatException();
      }
      return Optional.of(id);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Last-Event-ID", "Last-Event-ID must be the id of an event this stream sent (a whole number)");
    }
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    open.forEach(Stream::close);
    writers.shutdownNow();
  }

  /** One client: its filter, its backlog, and (for a job stream) the job's progress. */
  private final class Stream {
    private final SseClient client;
    private final Predicate<JobChange> filter;
    private final JobProgress progress;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile JobChanges.Subscription subscription;
    private volatile boolean closed;

    Stream(SseClient client, Predicate<JobChange> filter, JobProgress progress) {
      this.client = client;
      this.filter = filter;
      this.progress = progress;
    }

    void follow(long position) {
      client.keepAlive();
      client.onClose(this::close);
      open.add(this);
      subscription = changes.subscribe(position, change -> {
        if (filter.test(change)) {
          enqueue(change);
        }
      });
    }

    /** Called on the feed's thread (or the heartbeat's): never blocks. */
    void enqueue(Object item) {
      synchronized (backlog) {
        if (closed) {
          return;
        }
        if (backlog.size() >= MAX_BACKLOG) {
          log.info("closing a slow event stream: {} changes waiting to be sent", backlog.size());
          writers.execute(this::close);
          closed = true;
          return;
        }
        backlog.add(item);
      }
      if (draining.compareAndSet(false, true)) {
        writers.execute(this::drain);
      }
    }

    private void drain() {
      try {
        while (true) {
          Object item;
          synchronized (backlog) {
            item = backlog.poll();
          }
          if (item == null) {
            break;
          }
          write(item);
          if (client.terminated()) {
            close();
            return;
          }
        }
      } catch (RuntimeException e) {
        log.debug("event stream write failed, closing it: {}", e.toString());
        close();
      } finally {
        draining.set(false);
      }
      boolean more;
      synchronized (backlog) {
        more = !backlog.isEmpty() && !closed;
      }
      if (more && draining.compareAndSet(false, true)) {
        writers.execute(this::drain);
      }
    }

    private void write(Object item) {
      if (item == HEARTBEAT_MARK) {
        client.sendComment("heartbeat");
        return;
      }
      JobChange change = (JobChange) item;
      ObjectNode data = Json.object()
          .put("seq", change.seq())
          .put("job_id", change.jobId().toString())
          .put("pipeline", change.pipeline())
          .put("stage", change.stage())
          .put("event", change.event())
          .put("message", change.message())
          .put("at", change.at().toString());
      data.set("metadata", change.metadata());
      if (progress != null) {
        progress.apply(change);
        data.set("progress", progress.toJson());
      }
      send(change.event(), data, change.seq());
      if (progress != null && JOB_ENDS.contains(change.event()) && progress.finished()) {
        reads.job(change.jobId()).ifPresent(job -> send("result", summary(job), change.seq()));
        end();
      }
    }

    void send(String event, JsonNode data, long id) {
      client.sendEvent(event, Json.write(data), Long.toString(id));
    }

    /** The job is over: an "end" event, then the stream closes. */
    void end() {
      client.sendEvent("end", "{}", null);
      close();
    }

    void close() {
      synchronized (backlog) {
        closed = true;
        backlog.clear();
      }
      open.remove(this);
      JobChanges.Subscription s = subscription;
      if (s != null) {
        s.close();
      }
      try {
        // why the check: closing a client whose request already ended completes a finished request again
        if (!client.terminated()) {
          client.close();
        }
      } catch (RuntimeException e) {
        log.debug("closing an event stream: {}", e.toString());
      }
    }
  }

  private static ObjectNode summary(ObjectNode job) {
    ObjectNode summary = Json.object();
    summary.put("job_id", job.path("id").asText());
    summary.put("status", job.path("status").asText());
    summary.set("progress", job.path("progress"));
    summary.set("result", job.path("result"));
    return summary;
  }

  /** A job's stages and how many are done (completed or skipped), kept up to date from its changes. */
  private static final class JobProgress {
    private final Map<String, String> stages = new HashMap<>();
    private String status;

    JobProgress(ObjectNode job) {
      status = job.path("status").asText();
      for (JsonNode stage : job.path("stages")) {
        stages.put(stage.path("stage").asText(), stage.path("status").asText());
      }
    }

    synchronized void apply(JobChange change) {
      String now = change.stage() == null ? null : stages.get(change.stage());
      // why: a resumed stream replays changes older than its snapshot; a stage done stays done
      if (now != null && !now.equals("completed") && !now.equals("skipped")) {
        switch (change.event()) {
          case "completed" -> stages.put(change.stage(), "completed");
          case "skipped" -> stages.put(change.stage(), "skipped");
          case "processing" -> stages.put(change.stage(), "processing");
          case "queued" -> stages.put(change.stage(), "queued");
          case "dead_lettered" -> stages.put(change.stage(), "dead_lettered");
          default -> { }
        }
      }
      switch (change.event()) {
        case "job_completed" -> status = "completed";
        case "dead_lettered" -> status = "failed";
        case "cancelled" -> status = "cancelled";
        default -> { }
      }
    }

    synchronized boolean finished() {
      return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    synchronized ObjectNode toJson() {
      long done = stages.values().stream().filter(s -> s.equals("completed") || s.equals("skipped")).count();
      int total = stages.size();
      return Json.object().put("status", status).put("stages_total", total).put("stages_done", done)
          .put("percent", total == 0 ? 100 : Math.round(100.0 * done / total));
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
