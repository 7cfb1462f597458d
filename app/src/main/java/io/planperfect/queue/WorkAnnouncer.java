package io.planperfect.queue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells consumers that a stage has work, after the transaction that made it ready committed:
 * this node's claim loop at once, other nodes by NOTIFY on {@code planperfect_work}.
 *
 * <p>why not a trigger: a transaction that NOTIFYs holds PostgreSQL's database-wide notify lock
 * through its commit, so notifying inside every send serialises all sending commits (measured:
 * send throughput fell by about half). Here NOTIFYs leave on their own short transaction,
 * coalesced to at most one per stage every {@link #COALESCE} — a hint only; polling remains.
 */
public final class WorkAnnouncer implements AutoCloseable {
  static final Duration COALESCE = Duration.ofMillis(3);
  private static final Logger log = LoggerFactory.getLogger(WorkAnnouncer.class);

  private final Jdbi jdbi;
  private final WorkSignals local;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final WakeSignal hasPending = new WakeSignal();
  private final Thread thread;
  private volatile boolean running = true;

  public WorkAnnouncer(Jdbi jdbi, WorkSignals local) {
    this.jdbi = jdbi;
    this.local = local;
    this.thread = new Thread(this::run, "pp-announce");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Call after the commit that made work ready on the stage. */
  public void announce(String queue, String stage) {
    local.signal(queue, stage);
    pending.add(queue + ":" + stage);
    hasPending.signal();
  }

  /**
   * Tells the other nodes only (by a NOTIFY with {@code key} as payload, coalesced like the stage
   * announcements); the caller wakes its own node. Call after the commit.
   */
  public void announceToOthers(String key) {
    pending.add(key);
    hasPending.signal();
  }

  private void run() {
    while (running) {
      try {
        hasPending.await(Duration.ofSeconds(1));
        List<String> keys = List.copyOf(pending);
        pending.removeAll(keys);
        if (!keys.isEmpty()) {
          notifyAll(keys);
          Thread.sleep(COALESCE.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.debug("could not notify other nodes (they will poll): {}", e.toString());
      }
    }
  }

  private void notifyAll(List<String> keys) {
    jdbi.useHandle(h -> h.createQuery("select count(pg_notify('" + NotificationListener.CHANNEL + "', k)) from unnest(:keys) k")
        .bind("keys", keys.toArray(String[]::new))
        .mapTo(Long.class)
        .one());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
