package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.engine.JobChanges;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/v1/ticks/stream}: a "changed" event when the stream opens, then at most one per
 * {@link #TICK} while jobs change anywhere, and heartbeats; no change itself. For a page that re-reads
 * a summary when something changed (the dashboard's overview): however many such streams are open on
 * the node, they share one subscription of the change feed, and each gets one small frame per tick
 * however many changes the tick covered.
 *
 * <p>why not the stream of every change: each viewer of the overview took every change of every job
 * (thousands of frames a second under load) only to learn that something changed.
 */
final class ChangeTicks implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(300);
  private static final int MAX_QUEUED_BYTES = 16 * 1024;
  private static final byte[] CHANGED = "event: changed\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8);

  private final JobChanges changes;
  private final Executor writers;
  private final ScheduledExecutorService timer;
  private final long heartbeatNanos;
  private final Set<SseChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean changed = new AtomicBoolean();
  private final ScheduledFuture<?> ticking;
  /** Tick streams registered (opening or open), guarded by this; the feed is subscribed while there are any. */
  private int registered;
  /** Subscribed while a tick stream is registered on this node (guarded by this): an idle feed reads nothing. */
  private JobChanges.Subscription feed;
  private boolean stopped;

  /** Streams write on {@code writers}; {@code timer} runs the ticks and the channels' own timers. */
  ChangeTicks(JobChanges changes, Executor writers, ScheduledExecutorService timer, Duration heartbeat) {
    this.changes = changes;
    this.writers = writers;
    this.timer = timer;
    this.heartbeatNanos = heartbeat.toNanos();
    this.ticking = timer.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Opens a tick stream on {@code ctx}. why the feed first: a subscription that cannot be made (the
   * database is down) fails the request before any stream exists, as a job's stream registers first.
   */
  void open(Context ctx) {
    register();
    SseChannel[] self = new SseChannel[1];
    SseChannel channel;
    try {
      channel = SseChannel.open(ctx, writers, timer, MAX_QUEUED_BYTES, () -> closed(self[0]));
    } catch (RuntimeException | Error e) {
      unregister();
      throw e;
    }
    self[0] = channel;
    open.add(channel);
    // why "changed" first: something may have changed between the page's render and this stream's start
    channel.offer(CHANGED);
    if (channel.closed()) {  // closed before it was in the set: its close found nothing to remove
      closed(channel);
    }
  }

  /** How many tick streams are open on this node. */
  int openStreams() {
    return open.size();
  }

  private synchronized void register() {
    if (stopped) {
      throw new IllegalStateException("the node is stopping: no new event streams");
    }
    if (feed == null) {
      feed = changes.subscribe(change -> changed.set(true));
    }
    registered++;
  }

  private synchronized void unregister() {
    registered--;
    if (registered == 0 && feed != null) {
      feed.close();
      feed = null;
    }
  }

  /** On the timer: "changed" to every stream when a change came since the last tick, else heartbeats as due. */
  private void tick() {
    boolean send = changed.getAndSet(false);
    long now = System.nanoTime();
    for (SseChannel channel : open) {
      if (send) {
        channel.offer(CHANGED);
      } else if (now - channel.lastOfferNanos() >= heartbeatNanos) {
        channel.comment("heartbeat");
      }
    }
  }

  /** However a channel closed; each registered channel is removed, and unregistered, once. */
  private void closed(SseChannel channel) {
    if (channel != null && open.remove(channel)) {
      unregister();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
    }
    ticking.cancel(false);
    open.forEach(SseChannel::close);
  }
}
