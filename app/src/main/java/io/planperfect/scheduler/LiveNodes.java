package io.planperfect.scheduler;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many nodes serving HTTP are live: rows of cluster_nodes with the {@code http} role seen within
 * {@link #LIVE_WITHIN} (three of {@link ClusterNodes#BEAT_INTERVAL}). Counted once per beat interval
 * on a thread of its own, so a reader (the rate limiter, on every request) only reads a field. This
 * node counts itself, not its row: the row is written once the node's loops start, after its HTTP
 * server answers, and may be late.
 */
public final class LiveNodes implements IntSupplier, AutoCloseable {
  public static final Duration LIVE_WITHIN = ClusterNodes.BEAT_INTERVAL.multipliedBy(3);
  private static final Logger log = LoggerFactory.getLogger(LiveNodes.class);

  private final Jdbi jdbi;
  private final String self;
  private final ScheduledExecutorService counter = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "pp-live-nodes");
    thread.setDaemon(true);
    return thread;
  });
  private volatile int count = 1;

  /** The live nodes as seen by node {@code self} (its id in cluster_nodes). */
  public LiveNodes(Jdbi jdbi, String self) {
    this.jdbi = jdbi;
    this.self = self;
  }

  /** Counts now and every beat interval from now on. */
  public LiveNodes start() {
    refresh();
    long every = ClusterNodes.BEAT_INTERVAL.toMillis();
    counter.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public int getAsInt() {
    return count;
  }

  /** Counts the live nodes now. */
  public void refresh() {
    int live = jdbi.withHandle(h -> h.createQuery("""
            select count(*) from cluster_nodes
             where node_id <> :self and last_seen_at > now() - make_interval(secs => :live)
               and coalesce((roles ->> 'http')::boolean, true)""")
        .bind("self", self).bind("live", LIVE_WITHIN.toSeconds()).mapTo(Integer.class).one());
    count = 1 + live;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("could not count the live nodes (the rate limits keep the last count, {}): {}", count, e.getMessage());
    }
  }

  @Override
  public void close() {
    counter.shutdownNow();
  }
}
