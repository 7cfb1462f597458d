package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.BatchReads;
import io.planperfect.engine.JobChange;
import io.planperfect.engine.JobChanges;
import io.planperfect.engine.JobReads;
import io.planperfect.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events over the change feed ({@link JobChanges}): one job's changes with its progress,
 * a batch's counts, and every change (service key, filtered by pipeline and stage, or by up to
 * {@value #MAX_STREAM_JOBS} jobs). Each event's id is the change's
 * sequence number; a client that reconnects with {@code Last-Event-ID} (or {@code ?last_event_id=})
 * gets every change after it from the event trail, then the live ones.
 *
 * <p>A job's stream (a batch's, a stream of some jobs) subscribes to the feed for its jobs only: the
 * feed looks its subscribers up by a change's job, so 500 open job streams cost the feed one look-up
 * per change, not 500 filters.
 *
 * <p>No thread per client: each stream is an {@link SseChannel} (the container's non-blocking
 * output) whose queue the feed's thread fills, already encoded (a change every unfiltered stream
 * sends is encoded once), and a small pool of writers drains (the writers never read the database:
 * a stream's reads after a change run on the readers). The feed hands over a page of changes
 * at a time and a stream queues its share of a page as one frame, so under load (bigger pages) a
 * stream costs one write and one flush per page, not per change. A client whose queue passes
 * {@link #MAX_BACKLOG_BYTES} (it reads slower than changes arrive) gets what is queued and the end of
 * its stream, and is closed if it does not take that within {@link SseChannel#SLOW_CLIENT_GRACE}: never
 * buffered without bound. It may reconnect with its last id.
 *
 * <p>Heartbeats: a stream that sent nothing for the heartbeat interval gets a comment, which keeps
 * proxies from closing it. Each stream keeps its own phase, chosen at random when it opens: streams
 * opened together (a dashboard's reload, a load balancer's reconnect storm) do not all get their
 * comments at the same instant, which on a busy node would delay every live event behind a burst of
 * hundreds of writes.
 */
public final class EventStreams implements AutoCloseable {
  /** What one stream may have waiting to be sent (about 700 typical changes) before it counts as slow. */
  static final int MAX_BACKLOG_BYTES = 256 * 1024;
  /** The most of a page queued as one frame: well under the backlog bound, so a big page never counts as slow by itself. */
  private static final int MAX_FRAME_BYTES = 32 * 1024;
  /** How many recent changes stay encoded for the unfiltered streams (a power of two). */
  private static final int ENCODED_RECENT = 4096;
  private static final int WRITERS = 4;
  private static final int CATCH_UPS = 2;
  private static final int READERS = 2;
  /**
   * The most jobs one stream of {@code /api/v1/stream?jobs=} follows (a page of the dashboard's job list;
   * 100 ids keep the request line near 4 KB, well inside the server's 8 KB for a request's head).
   */
  public static final int MAX_STREAM_JOBS = 100;
  private static final Set<String> JOB_ENDS = Set.of("job_completed", "dead_lettered", "cancelled");
  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

  private final JobChanges changes;
  private final JobReads reads;
  private final BatchReads batches;
  private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, daemon("pp-sse-writer"));
  /** Where streams resuming from an old event id read what they missed, a page at a time as their clients take them. */
  private final ExecutorService catchUps = Executors.newFixedThreadPool(CATCH_UPS, daemon("pp-sse-catch-up"));
  /**
   * Where a stream reads the database after a change (a finished job's result, a batch's counts). Why not
   * on the writers: a read waits for the database, and every stream's frames wait behind a writer that waits.
   */
  private final ExecutorService readers = Executors.newFixedThreadPool(READERS, daemon("pp-sse-read"));
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("pp-sse-heartbeat"));
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final ChangeTicks ticks;
  private final AtomicReferenceArray<EncodedChange> encoded = new AtomicReferenceArray<>(ENCODED_RECENT);
  private final long heartbeatNanos;
  private final Duration readTimeout;

  /** {@code readTimeout}: how long a stream's own read (a job's result, a batch's counts) may take before it is given up. */
  public EventStreams(JobChanges changes, JobReads reads, BatchReads batches, Duration heartbeat, Duration readTimeout) {
    this.readTimeout = readTimeout;
    this.changes = changes;
    this.reads = reads;
    this.batches = batches;
    this.heartbeatNanos = heartbeat.toNanos();
    // why a tick a tenth of the interval: each stream's heartbeat falls due at its own time
    long tick = Math.max(10, Math.min(1_000, heartbeat.toMillis() / 10));
    heartbeats.scheduleAtFixedRate(this::heartbeatsDue, tick, tick, TimeUnit.MILLISECONDS);
    this.ticks = new ChangeTicks(changes, writers, heartbeats, heartbeat);
  }

  private void heartbeatsDue() {
    long now = System.nanoTime();
    open.forEach(stream -> stream.heartbeatIfDue(now));
  }

  /** How many streams are open on this node. */
  public int openStreams() {
    return open.size() + ticks.openStreams();
  }

  /** {@code GET /api/v1/ticks/stream}: "changed" at most every {@link ChangeTicks#TICK} while jobs change (see {@link ChangeTicks}). */
  void ticks(Context ctx) {
    ticks.open(ctx);
  }

  /**
   * {@code GET /api/v1/jobs/{id}/stream}: a snapshot of the job, then each of its changes with its
   * progress; when the job ends, a "result" event and "end". A client resuming after an event id
   * gets every change of the job it missed first.
   */
  void job(Context ctx) {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    Optional<Long> after = lastEventId(ctx);
    open(Set.of(id), registeredAt -> {
      JobReads.Snapshot snapshot = reads.snapshot(id).orElseThrow(() -> ApiError.notFound("no job " + id));
      // why the job's own last change when it is later: a job's events commit in number order (each is
      // written under the job's row lock), so the snapshot reflects every change of the job up to it, and
      // sending them again would step a client's bars back (a stage shown processing, then queued)
      long position = after.orElse(Math.max(registeredAt, snapshot.lastSeq()));
      JobProgress progress = new JobProgress(snapshot.job());
      Stream stream = new Stream(ctx, change -> change.jobId().equals(id), progress, null);
      stream.channel.event("snapshot", Json.write(StoredErrors.forCaller(ctx, snapshot.job())), Long.toString(position));
      return new Opened(stream, position, progress.finished() && snapshot.lastSeq() <= position);
    });
  }

  /**
   * {@code GET /api/v1/batches/{id}/stream}: a snapshot of the batch (its counts and percent), then a
   * "progress" event with the counts each time they change as its jobs end (or are replayed), and
   * "end" once the batch has finished. The counts are read again after a change of one of its jobs,
   * at most one read at a time per stream: a burst of changes costs one read, not one each.
   */
  void batch(Context ctx) {
    UUID id = BodyFields.uuid(ctx.pathParam("id"), "id");
    Optional<Long> after = lastEventId(ctx);
    Set<UUID> jobs = batches.jobIds(id);
    open(jobs, registeredAt -> {
      ObjectNode batch = batches.batch(id).orElseThrow(() -> ApiError.notFound("no batch " + id));
      long position = after.orElse(registeredAt);
      Stream stream = new Stream(ctx, change -> jobs.contains(change.jobId()), null, new BatchProgress(id, batch));
      stream.channel.event("snapshot", Json.write(batch), Long.toString(position));
      return new Opened(stream, position, BatchProgress.finished(batch) && after.isEmpty());
    });
  }

  /**
   * {@code GET /api/v1/stream}: every change from now (or after Last-Event-ID), optionally of one pipeline
   * or stage, or of some jobs only ({@code jobs=a,b,…}, at most {@value #MAX_STREAM_JOBS}): the dashboard's
   * job list follows the rows it shows, and the feed offers such a stream its jobs' changes only.
   */
  void all(Context ctx) {
    Optional<Long> after = lastEventId(ctx);
    String pipeline = ctx.queryParam("pipeline");
    String stage = ctx.queryParam("stage");
    Set<UUID> jobs = jobsParam(ctx.queryParams("jobs"));
    Predicate<JobChange> filter = change -> (pipeline == null || pipeline.equals(change.pipeline()))
        && (stage == null || stage.equals(change.stage()));
    open(jobs, registeredAt -> new Opened(new Stream(ctx, filter, null, null), after.orElse(registeredAt), false));
  }

  /**
   * The {@code jobs} filter: null when absent (every job), else one to {@value #MAX_STREAM_JOBS} job ids,
   * comma-separated, in one parameter or several (blank items are passed over, as {@code /jobs/progress} does).
   */
  private static Set<UUID> jobsParam(List<String> texts) {
    if (texts.isEmpty()) {
      return null;
    }
    Set<UUID> jobs = new java.util.HashSet<>();
    for (String text : texts) {
      for (String id : text.split(",")) {
        if (id.isBlank()) {
          continue;
        }
        try {
          jobs.add(UUID.fromString(id.trim()));
        } catch (IllegalArgumentException e) {
          throw ApiError.invalid("jobs", "jobs must be job ids (UUIDs) separated by commas");
        }
      }
    }
    if (jobs.isEmpty()) {
      throw ApiError.invalid("jobs", "jobs must name at least one job id");
    }
    if (jobs.size() > MAX_STREAM_JOBS) {
      throw ApiError.invalid("jobs", "jobs takes at most " + MAX_STREAM_JOBS + " job ids");
    }
    return jobs;
  }

  /** A stream that has sent its snapshot: where it follows from, and whether it is over already. */
  private record Opened(Stream stream, long position, boolean over) {}

  /**
   * Registers with the feed for {@code jobs} (every job when null), then opens the stream. Why in that
   * order: every change up to the registration's number (the starting point of a stream without
   * Last-Event-ID) had committed, so the snapshot read after shows it, and every later change is held
   * for the stream. The newest number taken is not such a point: a transition still committing may
   * hold it, and its changes would be missing from the snapshot and skipped by the stream.
   */
  private void open(Set<UUID> jobs, java.util.function.LongFunction<Opened> openAfterRegistering) {
    JobChanges.Pending pending = changes.hold(jobs);
    try {
      Opened opened = openAfterRegistering.apply(pending.registeredAt());
      if (opened.over()) {
        pending.close();
        opened.stream().end();
      } else {
        opened.stream().follow(pending, opened.position());
      }
    } catch (RuntimeException | Error e) {
      pending.close();
      throw e;
    }
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

  /** Runs on a reader; nothing when the node is stopping (the readers are shut down and every stream closes). */
  private void onReader(Runnable work) {
    try {
      readers.execute(work);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      log.debug("event stream read after the readers stopped, dropped: {}", stopping.toString());
    }
  }

  @Override
  public void close() {
    ticks.close();
    heartbeats.shutdownNow();
    open.forEach(Stream::close);
    writers.shutdownNow();
    readers.shutdownNow();
    catchUps.shutdownNow();
  }

  /**
   * A change as every unfiltered stream sends it, encoded once: the feed hands one page to all its
   * subscribers in turn, so the recent changes kept here are nearly always the ones asked for.
   */
  private byte[] sharedFrame(JobChange change) {
    int slot = (int) (change.seq() & (ENCODED_RECENT - 1));
    EncodedChange kept = encoded.get(slot);
    if (kept != null && kept.seq() == change.seq()) {
      return kept.frame();
    }
    byte[] frame = frame(change.event(), Json.write(changeJson(change)), change.seq());
    encoded.set(slot, new EncodedChange(change.seq(), frame));
    return frame;
  }

  private record EncodedChange(long seq, byte[] frame) {}

  private static ObjectNode changeJson(JobChange change) {
    ObjectNode data = Json.object()
        .put("seq", change.seq())
        .put("job_id", change.jobId().toString())
        .put("pipeline", change.pipeline())
        .put("stage", change.stage())
        .put("event", change.event())
        .put("message", change.message())
        .put("at", change.at().toString());
    data.set("metadata", change.metadata());
    return data;
  }

  private static byte[] frame(String event, String data, long id) {
    return ("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** One client: its filter, its channel, and (for a job stream) the job's progress. */
  private final class Stream {
    private final SseChannel channel;
    private final Predicate<JobChange> filter;
    private final JobProgress progress;
    private final boolean service;
    private final BatchProgress batch;
    private volatile JobChanges.Subscription subscription;
    /** When this stream's next heartbeat falls due (System.nanoTime); only the heartbeat thread reads and sets it. */
    private long heartbeatAt;
    private boolean ending;

    Stream(Context ctx, Predicate<JobChange> filter, JobProgress progress, BatchProgress batch) {
      this.service = ctx.attribute(ApiServer.ACCESS) == Access.SERVICE;
      this.filter = filter;
      this.progress = progress;
      this.batch = batch;
      this.channel = SseChannel.open(ctx, writers, heartbeats, MAX_BACKLOG_BYTES, this::closed);
      this.heartbeatAt = System.nanoTime() + (long) (heartbeatNanos * ThreadLocalRandom.current().nextDouble(0.1, 1.0));
    }

    /** Starts the subscription registered for it after {@code position}. */
    void follow(JobChanges.Pending pending, long position) {
      open.add(this);
      if (position >= pending.registeredAt()) {
        start(pending, position);
        return;
      }
      // why another thread: a catch-up waits for the client to take each page, and the container sends
      // nothing of this response before the request's handler has returned
      try {
        catchUps.execute(() -> {
          try {
            start(pending, position);
          } catch (RuntimeException e) {
            log.warn("an event stream could not catch up from event {}: {}", position, e.toString());
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        pending.close();
        channel.close();
      }
    }

    private void start(JobChanges.Pending pending, long position) {
      try {
        subscription = pending.startAfter(position, this::send, this::awaitRoom);
      } catch (RuntimeException | Error e) {
        pending.close();
        channel.close();
        throw e;
      }
      if (channel.closed()) {
        closed();
      }
    }

    /** Before each page of a catch-up (on a catch-up thread): the client has taken most of what is queued. */
    private void awaitRoom() {
      try {
        channel.awaitRoom(MAX_BACKLOG_BYTES / 4, SseChannel.SLOW_CLIENT_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** On the feed's thread: encodes and queues this stream's share of a page, never blocks (the job's final read goes to a reader). */
    private void send(List<JobChange> page) {
      if (batch != null) {
        long latest = -1;
        for (JobChange change : page) {
          if (filter.test(change)) {
            latest = change.seq();
          }
        }
        if (latest >= 0 && batch.changed(latest)) {
          onReader(this::sendBatchCounts);
        }
        return;
      }
      if (ending) {
        return;
      }
      PageFrames frames = new PageFrames(channel);
      for (JobChange change : page) {
        if (!filter.test(change)) {
          continue;
        }
        if (progress == null) {
          frames.add(sharedFrame(change));
          continue;
        }
        progress.apply(change);
        ObjectNode data = service ? changeJson(change) : StoredErrors.shortened(changeJson(change));
        data.set("progress", progress.toJson());
        frames.add(frame(change.event(), Json.write(data), change.seq()));
        if (JOB_ENDS.contains(change.event()) && progress.finished()) {
          ending = true;
          frames.queue();
          onReader(() -> {
            try {
              reads.job(change.jobId(), readTimeout).ifPresent(job ->
                  channel.offer(frame("result", Json.write(summary(job)), change.seq())));
            } catch (RuntimeException e) {
              // why end anyway: the job is over; a client that needs the result reads the job
              log.warn("could not read the result of job {} for its stream, ending it without: {}", change.jobId(), e.toString());
            } finally {
              end();
            }
          });
          return;
        }
      }
      frames.queue();
    }

    /**
     * On a reader: the batch's counts read again, sent when they moved; the end once the batch has
     * finished. A read that fails ends the stream (the client reconnects with its last id and reads afresh).
     */
    private void sendBatchCounts() {
      long seq = batch.reading();
      Optional<ObjectNode> now;
      try {
        now = batches.batch(batch.id(), readTimeout);
      } catch (RuntimeException e) {
        log.warn("could not read the counts of batch {} for its stream, ending it: {}", batch.id(), e.toString());
        end();
        return;
      }
      if (now.isEmpty()) {
        end();
        return;
      }
      if (batch.moved(now.get())) {
        channel.offer(frame("progress", Json.write(now.get()), seq));
      }
      if (BatchProgress.finished(now.get())) {
        end();
      } else if (batch.readAgain()) {
        onReader(this::sendBatchCounts);
      }
    }

    /** On the heartbeat thread: a comment when this stream's time has come and it sent nothing for an interval. */
    void heartbeatIfDue(long now) {
      if (now - heartbeatAt < 0) {
        return;
      }
      // why from its own time, not from now: a heartbeat thread that stalled would otherwise give every
      // stream it served late the same next time, and their phases would stay merged for good
      heartbeatAt += heartbeatNanos;
      if (now - heartbeatAt >= 0) {  // more than an interval late: skip the missed ones, keep the phase
        heartbeatAt += ((now - heartbeatAt) / heartbeatNanos + 1) * heartbeatNanos;
      }
      if (now - channel.lastOfferNanos() >= heartbeatNanos) {
        channel.comment("heartbeat");
      }
    }

    /** The job is over: an "end" event, then the response ends once it is sent. */
    void end() {
      channel.event("end", "{}", null);
      channel.endAfterQueued();
    }

    void close() {
      channel.close();
    }

    /** However the channel closed (client gone, too slow, ended, node stopping): no more changes for it. */
    private void closed() {
      open.remove(this);
      JobChanges.Subscription s = subscription;
      if (s != null) {
        s.close();
      }
    }
  }

  /** A stream's share of one page, queued as few frames as the size bound allows (one, nearly always). */
  private static final class PageFrames {
    private final SseChannel channel;
    private byte[] first;
    private ByteArrayOutputStream joined;

    PageFrames(SseChannel channel) {
      this.channel = channel;
    }

    void add(byte[] frame) {
      if (first == null) {
        first = frame;
        return;
      }
      if (joined == null) {
        joined = new ByteArrayOutputStream(Math.min(MAX_FRAME_BYTES, first.length * 8));
        joined.writeBytes(first);
      } else if (joined.size() + frame.length > MAX_FRAME_BYTES) {
        channel.offer(joined.toByteArray());
        joined.reset();
      }
      joined.writeBytes(frame);
    }

    void queue() {
      if (joined != null) {
        channel.offer(joined.toByteArray());
      } else if (first != null) {
        channel.offer(first);
      }
      first = null;
      joined = null;
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

  /**
   * What a batch stream last sent, and whether a read of the counts is due: a change of one of its jobs
   * asks for a read; while one runs, more changes ask for one more after it, not one each.
   */
  private static final class BatchProgress {
    private final UUID id;
    private String sentCounts;
    private long latestSeq;
    private boolean reading;
    private boolean again;

    BatchProgress(UUID id, ObjectNode snapshot) {
      this.id = id;
      this.sentCounts = counts(snapshot);
    }

    UUID id() {
      return id;
    }

    /** A change of one of the batch's jobs: true when the caller must start a read. */
    synchronized boolean changed(long seq) {
      latestSeq = Math.max(latestSeq, seq);
      if (reading) {
        again = true;
        return false;
      }
      reading = true;
      return true;
    }

    /** A read begins: the sequence number it answers for. */
    synchronized long reading() {
      again = false;
      return latestSeq;
    }

    /** A read ended: true when changes came meanwhile and the reader must read once more. */
    synchronized boolean readAgain() {
      if (again) {
        return true;
      }
      reading = false;
      return false;
    }

    synchronized boolean moved(ObjectNode batch) {
      String counts = counts(batch);
      if (counts.equals(sentCounts)) {
        return false;
      }
      sentCounts = counts;
      return true;
    }

    static boolean finished(ObjectNode batch) {
      return !batch.path("finished_at").isNull() && !batch.path("finished_at").isMissingNode()
          && !batch.path("status").asText().equals("processing");
    }

    private static String counts(ObjectNode batch) {
      return batch.path("status").asText() + "/" + batch.path("completed").asInt() + "/" + batch.path("failed").asInt()
          + "/" + batch.path("cancelled").asInt();
    }
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
