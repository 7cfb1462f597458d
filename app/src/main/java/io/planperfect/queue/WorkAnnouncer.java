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
 *
 * <p>why only while another node listens: on a lone node every NOTIFY was a transaction of its own
 * (0.17 per stage transition, and one per intake) that no other node read, and its echo on this node's
 * own listener woke the stage's claim loop a second time for an empty claim. Once a second the
 * announcer counts the connections listening on the channel ({@code pg_stat_activity}, the listener's
 * only statement); while none but this node's own listens, announcements stay local. A node that
 * starts listening is told of new work within that second (and wakes every stage when it connects).
 */
public final class WorkAnnouncer implements AutoCloseable {
  static final Duration COALESCE = Duration.ofMillis(3);
  static final Duration LISTENERS_CHECK = Duration.ofSeconds(1);
  private static final String LISTENERS = """
      select count(*) from pg_stat_activity where datname = current_database() and query = :listen""";
  private static final Logger log = LoggerFactory.getLogger(WorkAnnouncer.class);

  private final Jdbi jdbi;
  private final WorkSignals local;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final WakeSignal hasPending = new WakeSignal();
  private final Thread thread;
  private volatile boolean running = true;
  // why true until counted: an announcement is never withheld on a guess
  private volatile boolean othersListen = true;
  private long listenersCheckedAt;

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
    if (othersListen) {
      pending.add(queue + ":" + stage);
      hasPending.signal();
    }
  }

  /**
   * Tells the other nodes only (by a NOTIFY with {@code key} as payload, coalesced like the stage
   * announcements); the caller wakes its own node. Call after the commit.
   */
  public void announceToOthers(String key) {
    if (othersListen) {
      pending.add(key);
      hasPending.signal();
    }
  }

  /** Whether announcements leave by NOTIFY: another node listens on the channel (or it is not known yet). */
  public boolean notifiesOthers() {
    return othersListen;
  }

  private void run() {
    while (running) {
      try {
        hasPending.await(LISTENERS_CHECK);
        checkListeners();
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

  private void checkListeners() {
    long now = System.nanoTime();
    if (listenersCheckedAt != 0 && now - listenersCheckedAt < LISTENERS_CHECK.toNanos()) {
      return;
    }
    listenersCheckedAt = now;
    long listeners = jdbi.withHandle(h -> h.createQuery(LISTENERS).bind("listen", NotificationListener.LISTEN)
        .mapTo(Long.class).one());
    // why "more than our own": the count includes this node's listener when it listens; a view that
    // shows none at all (another role's queries hidden, track_activities off) leaves announcements on
    othersListen = listeners == 0 || listeners > (local.listening() ? 1 : 0);
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
