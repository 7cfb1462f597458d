package io.planperfect.engine;

import io.planperfect.json.Json;
import io.planperfect.queue.WakeSignal;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed: every job change (each row of the event trail), in sequence order, to the
 * subscribers in this process (live progress, the dashboard, {@code watch}, webhooks). A subscriber
 * may resume after any sequence number it saw.
 *
 * <p>How it learns of changes without polling per change: a commit on this node that wrote events
 * calls {@link #changed()}, which wakes the reader here and, while another node's feed has
 * subscribers (listed in {@code change_feed_listeners}, checked every {@link #LISTENERS_CHECK}),
 * sends one coalesced NOTIFY ({@value #NOTIFY_KEY}) that wakes the readers of those nodes; a timer of
 * {@link #FALLBACK} covers a lost notification. Each wake-up is one query for the events after the
 * last one delivered. While nobody subscribes here, no change is read (one query a second checks
 * the listeners), and while nobody subscribes elsewhere, nothing is notified.
 *
 * <p>Why a gap is waited for: sequence numbers are taken when a row is written, not when it
 * commits, so number n+1 may be visible while n is still being committed. The reader delivers in
 * order and stops at a missing number. Once {@link #GAP_MIN} has passed since it met the gap (by
 * then the writer that took the number has its transaction id), it notes the transactions running
 * ({@link #RUNNING}: each holds the lock on its own id); once none of them runs any more, a read
 * that still misses the number shows it was rolled back, and it is passed. A long transaction holds
 * the feed back; it never loses a change. (The snapshot's bounds do not tell this: its {@code xmax}
 * is one past the newest finished transaction, so a younger writer still running can be beyond it.)
 *
 * <p>A subscriber of some jobs only (a job's or a batch's stream) is found by a change's job: the
 * reader offers each page to the subscribers of every change and, per change, to its job's
 * subscribers, never to the others. A subscriber of one job does not wait at a missing number of
 * another job: it gets its job's changes that a read found past the gap at once (see
 * {@code offerByJob}). The reader reads on a connection of its own while anyone subscribes (one
 * pooled connection held; given back when nobody does), so a read never waits for a connection
 * behind the stages' transactions.
 *
 * <p>Listeners run on the feed's thread, one page of changes at a time (the changes {@link #subscribe}
 * replays, on the subscriber's thread before it returns): they must return quickly (hand the
 * changes to a queue of their own) and never block on the database.
 */
public final class JobChanges implements JobChangeSignal, AutoCloseable {
  public static final String NOTIFY_KEY = "planperfect:job_changes";
  static final Duration FALLBACK = Duration.ofSeconds(1);
  static final Duration GAP_MIN = Duration.ofMillis(100);
  private static final Duration GAP_RECHECK = Duration.ofMillis(20);
  /** How long the feed waits at one missing number before it says which transactions hold it back. */
  private static final Duration GAP_WARN = Duration.ofSeconds(5);
  static final Duration LISTENERS_CHECK = Duration.ofSeconds(1);
  /** How long this node's row in change_feed_listeners lasts unless renewed (it is renewed every few seconds). */
  private static final Duration LISTENING_LEASE = Duration.ofSeconds(30);
  private static final int BATCH = 1_000;
  /** The most changes one page of a catch-up reads (well under a stream's backlog bound, about 60 KB). */
  static final int REPLAY_PAGE = 250;
  /** How far back a reader that starts looks, for rows whose numbers were taken before it started. */
  private static final int START_WINDOW = 1_000;
  /** How long {@link #settledNow} waits for the transactions that may still commit a number it has seen. */
  static final Duration SETTLE_WAIT = Duration.ofSeconds(5);
  /**
   * How long {@link #settledNow} lets a writer that has taken a number get its transaction id (it
   * gets it in the same statement, microseconds later) before it notes the running transactions.
   */
  private static final Duration SETTLE_PAUSE = Duration.ofMillis(10);
  private static final Logger log = LoggerFactory.getLogger(JobChanges.class);

  // why the snapshot's bounds with the rows: the same snapshot that did not show a missing number
  // tells which transactions could still commit it (see the class comment)
  private static final String READ = """
      select seq, job_id, pipeline, stage, event_type, message, metadata::text as metadata, created_at
        from job_events
       where seq > :after and seq <= :upTo
       order by seq
       limit :limit""";
  private static final String READ_OF_JOBS = """
      select seq, job_id, pipeline, stage, event_type, message, metadata::text as metadata, created_at
        from job_events
       where job_id = any(:jobs) and seq > :after and seq <= :upTo
       order by seq
       limit :limit""";
  /** The ids of the transactions running now: each holds an exclusive lock on its own id while it runs. */
  static final String RUNNING = """
      select coalesce(array_agg(transactionid::text), '{}') from pg_locks
       where locktype = 'transactionid' and mode = 'ExclusiveLock' and granted""";
  private static final String ANY_STILL_RUNNING = """
      select exists (select 1 from pg_locks
                      where locktype = 'transactionid' and mode = 'ExclusiveLock' and granted
                        and transactionid::text = any(:ids))""";

  private final Jdbi jdbi;
  private final Duration fallback;
  private final WakeSignal wake;
  private final WorkAnnouncer announcer;
  /** The subscribers of every change. */
  private final List<Feed> subscribers = new CopyOnWriteArrayList<>();
  /** The subscribers of some jobs' changes, by job: a change is offered only to its job's feeds. */
  private final Map<UUID, List<Feed>> byJob = new ConcurrentHashMap<>();
  private final Object delivery = new Object();
  private final Object starting = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private final UUID nodeId = UUID.randomUUID();
  /** Whether another node's feed has subscribers: only then do this node's changes go out by NOTIFY. */
  private volatile boolean othersListening;
  private long listenersCheckedAt;
  private volatile long listeningRenewedAt;
  private volatile long lastPassNanos = System.nanoTime();
  private long lastRead;
  /** Every change up to here was delivered (or passed as rolled back); -1 while nobody subscribes. Guarded by delivery. */
  private long horizon = -1;
  private boolean gapOpen;
  /**
   * The missing number the reader waits at, when it met it, the transactions that were running once
   * {@link #GAP_MIN} had passed (null until then), and whether all of them have ended. Guarded by delivery.
   */
  private long gapAt = -1;
  private long gapSince;
  private String[] gapWriters;
  private boolean gapCleared;
  private boolean gapWarned;
  /** The connection the trail is read on while anyone subscribes (null while nobody does). Guarded by delivery. */
  private Handle reader;

  /** A live subscription: its listener gets every change after {@link #position()}, in order. */
  public interface Subscription extends AutoCloseable {
    /** The sequence number of the last change delivered: resume after it. */
    long position();

    @Override
    void close();
  }

  public JobChanges(Jdbi jdbi, WorkSignals signals, WorkAnnouncer announcer) {
    this(jdbi, signals, announcer, FALLBACK);
  }

  /** With another fallback timer: a test that must see the wake-ups alone sets it far out. */
  public JobChanges(Jdbi jdbi, WorkSignals signals, WorkAnnouncer announcer, Duration fallback) {
    this.fallback = fallback;
    this.jdbi = jdbi;
    this.wake = signals.forKey(NOTIFY_KEY);
    this.announcer = announcer;
    this.thread = new Thread(this::run, "pp-changes");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void changed() {
    // why only with subscribers: with none, waking the reader thousands of times a second costs
    // context switches on the hot path and reads nothing
    if (hasSubscribers()) {
      wake.signal();
    }
    if (othersListening) {
      announcer.announceToOthers(NOTIFY_KEY);
    }
  }

  /** Whether this node's changes go out by NOTIFY: another node's feed has subscribers. */
  public boolean notifiesOthers() {
    return othersListening;
  }

  /** The newest sequence number taken so far (0 when none was): "now" for a subscriber. */
  public long latest() {
    return jdbi.withHandle(JobChanges::latest);
  }

  private static long latest(Handle h) {
    return h.createQuery("select coalesce(pg_sequence_last_value(pg_get_serial_sequence('job_events', 'seq')), 0)")
        .mapTo(Long.class).one();
  }

  /**
   * The newest number taken, once every transaction that could still commit it or a lower one has
   * ended: after {@link #SETTLE_PAUSE} (a writer that took a number has its transaction id by then), the
   * transactions running are noted and waited for, at most {@link #SETTLE_WAIT}. Past that (a long
   * transaction somewhere in the cluster), {@link #START_WINDOW} numbers back, with a warning: a
   * change of a transaction running longer than that and numbered further back could be missed.
   */
  private long settledNow() {
    return jdbi.withHandle(h -> {
      long newest = latest(h);
      try {
        Thread.sleep(SETTLE_PAUSE.toMillis());
        String[] writers = h.createQuery(RUNNING).mapTo(String[].class).one();
        long deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
        while (writers.length > 0
            && h.createQuery(ANY_STILL_RUNNING).bind("ids", writers).mapTo(Boolean.class).one()) {
          if (System.nanoTime() > deadline) {
            log.warn("change feed: transactions {} still running after {} ms; starting {} numbers back from {}",
                String.join(",", writers), SETTLE_WAIT.toMillis(), START_WINDOW, newest);
            return Math.max(0, newest - START_WINDOW);
          }
          Thread.sleep(2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Math.max(0, newest - START_WINDOW);
      }
      return newest;
    });
  }

  /** Every change after {@code afterSeq}: first those already written, then each new one. */
  public Subscription subscribe(long afterSeq, Consumer<JobChange> listener) {
    return subscribePages(afterSeq, oneAtATime(listener));
  }

  private static Consumer<List<JobChange>> oneAtATime(Consumer<JobChange> listener) {
    return changes -> changes.forEach(change -> {
      try {
        listener.accept(change);
      } catch (RuntimeException | Error e) {
        log.warn("a change feed listener failed on change {} of job {}: {}", change.seq(), change.jobId(), e.toString());
      }
    });
  }

  /**
   * Every change after {@code afterSeq}, a page at a time: the changes one read of the trail found
   * (in order, each once, none before {@code afterSeq}). A listener that writes somewhere writes a page
   * at once: under load the pages grow, so its work per change shrinks as the changes come faster.
   */
  public Subscription subscribePages(long afterSeq, Consumer<List<JobChange>> listener) {
    return subscribePages(afterSeq, null, listener);
  }

  /**
   * The changes of the given jobs only, after {@code afterSeq}, a page at a time (as
   * {@link #subscribePages(long, Consumer)}): the feed finds a change's subscribers by its job, so
   * hundreds of job streams cost the feed nothing for the changes of other jobs.
   */
  public Subscription subscribePages(long afterSeq, Set<UUID> jobs, Consumer<List<JobChange>> listener) {
    return hold(jobs).startAfter(afterSeq, listener);
  }

  /**
   * A subscription registered now and started later: for a subscriber that reads the state first and
   * then follows the changes after it. Every change numbered up to {@link Pending#registeredAt()} had
   * committed (or was rolled back) when it was registered, so a read made after this call shows it;
   * every later change is held for it until it starts. Reading after registering is what makes a
   * snapshot and the changes that follow it meet with nothing lost in between.
   */
  public Pending hold(Set<UUID> jobs) {
    Feed feed = new Feed(jobs == null ? null : Set.copyOf(jobs));
    startIfIdle();
    synchronized (delivery) {
      if (horizon < 0) {  // why again: the feed's thread stops an idle feed; rare, so settled here, under the lock
        horizon = settledNow();
      }
      feed.registeredAt = horizon;
      if (feed.jobs == null) {
        subscribers.add(feed);
      } else {
        for (UUID job : feed.jobs) {
          byJob.compute(job, (id, feeds) -> {
            List<Feed> list = feeds == null ? new CopyOnWriteArrayList<>() : feeds;
            list.add(feed);
            return list;
          });
        }
      }
    }
    if (listeningRenewedAt == 0) {  // why only then: the feed's thread renews the listing while anyone subscribes
      try {
        renewListening();
      } catch (RuntimeException e) {
        log.warn("could not list this node in change_feed_listeners (other nodes' changes arrive by the timer): {}", e.toString());
      }
    }
    wake.signal();
    return feed;
  }

  /** A subscription registered and not started yet: the feed holds its changes (see {@link #hold}). */
  public interface Pending extends AutoCloseable {
    /** The feed had delivered every change up to here when the subscription was registered. */
    long registeredAt();

    /**
     * Starts it: {@code listener} gets every change after {@code afterSeq}: those before
     * {@link #registeredAt()} read from the trail on this thread, then the ones held, then the live ones.
     */
    default Subscription startAfter(long afterSeq, Consumer<List<JobChange>> listener) {
      return startAfter(afterSeq, listener, () -> { });
    }

    /**
     * As {@link #startAfter(long, Consumer)}, with {@code pace} run on this thread before each page of
     * the catch-up ({@link #REPLAY_PAGE} changes at most) is read: a subscriber that sends the changes
     * somewhere slow waits there for room.
     */
    Subscription startAfter(long afterSeq, Consumer<List<JobChange>> listener, Runnable pace);

    /** Gives it up before (or after) it starts. */
    @Override
    void close();
  }

  /**
   * The changes after {@code after} up to {@code upTo} (of the given jobs only, when not null), at most
   * {@link #REPLAY_PAGE}, on a pooled connection: what a subscriber resuming from an old number missed.
   */
  private List<JobChange> missed(Set<UUID> jobs, long after, long upTo) {
    return jdbi.withHandle(h -> jobs == null ? read(h, after, upTo, REPLAY_PAGE) : mapChanges(h.createQuery(READ_OF_JOBS)
        .bindArray("jobs", UUID.class, jobs)
        .bind("after", after)
        .bind("upTo", upTo)
        .bind("limit", REPLAY_PAGE)));
  }

  /**
   * Starts an idle feed at a settled number ({@link #settledNow}), outside the delivery lock (it waits
   * for running transactions, and the feed's thread must not wait with it). One start at a time: the
   * streams that open together with the first find the feed running.
   */
  private void startIfIdle() {
    synchronized (starting) {
      synchronized (delivery) {
        if (horizon >= 0) {
          return;
        }
      }
      long fresh = settledNow();
      synchronized (delivery) {
        if (horizon < 0) {
          horizon = fresh;
        }
      }
    }
  }

  /** Every change from now on. */
  public Subscription subscribe(Consumer<JobChange> listener) {
    Pending pending = hold(null);
    return pending.startAfter(pending.registeredAt(), oneAtATime(listener));
  }

  /**
   * How many subscribers of every change the feed has on this node now (the stream of every change, the
   * tick streams' shared one); a job's or a batch's stream subscribes by job and is not one of them.
   */
  public int subscribersOfEveryChange() {
    return subscribers.size();
  }

  /** How long ago the feed's thread last began a pass; a thread that died or hangs grows old. */
  public Duration sinceLastPass() {
    return thread.isAlive() ? Duration.ofNanos(System.nanoTime() - lastPassNanos) : java.time.temporal.ChronoUnit.FOREVER.getDuration();
  }

  private void run() {
    while (running) {
      lastPassNanos = System.nanoTime();
      try {
        boolean signalled = wake.await(gapOpen ? GAP_RECHECK : min(fallback, LISTENERS_CHECK));
        checkListeners();
        if (!hasSubscribers()) {
          synchronized (delivery) {
            if (!hasSubscribers()) {  // why again: a subscribe may have set the horizon meanwhile
              horizon = -1;  // nobody listens, so nothing is read; the next subscriber starts afresh
              gapAt = -1;
              closeReader();
            }
          }
          continue;
        }
        long now = System.nanoTime();
        if (signalled || gapOpen || now - lastRead >= fallback.toNanos()) {
          lastRead = now;
          deliverNew();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("change feed read failed, retrying: {}", e.toString());
        pause();
      } catch (Error e) {
        log.error("change feed thread stopped by an error", e);
        throw e;
      }
    }
  }

  private void deliverNew() {
    synchronized (delivery) {
      gapOpen = false;
      checkGap();
      List<JobChange> page;
      do {
        page = read(horizon, Long.MAX_VALUE);
        int ready = 0;
        for (JobChange change : page) {
          if (change.seq() != horizon + 1 && !gapPassed()) {
            gapOpen = true;  // a number before it may still commit: look again shortly
            break;
          }
          horizon = change.seq();
          gapAt = -1;
          ready++;
        }
        if (ready > 0) {
          // why one list for every subscriber: a stream sends a page as one write, and the changes are encoded once
          List<JobChange> deliverable = page.subList(0, ready);
          subscribers.forEach(feed -> feed.offer(deliverable));
          offerByJob(deliverable, false);
        }
        if (gapOpen) {
          offerByJob(page.subList(ready, page.size()), true);
        }
      } while (!gapOpen && page.size() == BATCH);
    }
  }

  private boolean hasSubscribers() {
    return !subscribers.isEmpty() || !byJob.isEmpty();
  }

  /**
   * Each job subscriber's share of a page, in order: one look-up per change, nothing for the jobs nobody
   * follows. With {@code aheadOfGap}, the page is what a read found past a missing number, and only the
   * live feeds of one job get their share now; the others get these changes once the reader has passed the gap.
   *
   * <p>Why a feed of one job need not wait at the gap: every event of a job is written under the job's
   * row lock (JobRepository.event), so a job's events commit in number order, and a read that shows one
   * of them shows every earlier one of that job (in this page or already delivered). A feed of several
   * jobs must wait: it resumes from one number, and a lower number of another of its jobs may still commit.
   * A change offered here is offered again when the reader passes the gap; the feed drops it then, as it
   * drops every change at or before its position.
   */
  private void offerByJob(List<JobChange> page, boolean aheadOfGap) {
    if (byJob.isEmpty() || page.isEmpty()) {
      return;
    }
    Map<Feed, List<JobChange>> shares = null;
    for (JobChange change : page) {
      List<Feed> feeds = byJob.get(change.jobId());
      if (feeds == null) {
        continue;
      }
      for (Feed feed : feeds) {
        // why only live ones: a feed still catching up would hold the same early changes again at each
        // read while the gap lasts; it gets them once the gap is passed
        if (aheadOfGap && (feed.jobs.size() != 1 || !feed.live)) {
          continue;
        }
        if (shares == null) {
          shares = new LinkedHashMap<>();
        }
        shares.computeIfAbsent(feed, f -> new ArrayList<>(4)).add(change);
      }
    }
    if (shares != null) {
      shares.forEach(Feed::offer);
    }
  }

  /**
   * Before a read, while the reader waits at a gap: once {@link #GAP_MIN} has passed, notes the
   * transactions running; later, whether all of them have ended. Checked before the read, so that a
   * writer that ended committed shows its row to the read that follows.
   */
  private void checkGap() {
    if (gapAt != horizon + 1 || gapCleared || System.nanoTime() - gapSince < GAP_MIN.toNanos()) {
      return;
    }
    Handle h = reader();
    if (gapWriters == null) {
      gapWriters = h.createQuery(RUNNING).mapTo(String[].class).one();
      gapCleared = gapWriters.length == 0;
    } else {
      gapCleared = !h.createQuery(ANY_STILL_RUNNING).bind("ids", gapWriters).mapTo(Boolean.class).one();
      if (!gapCleared && !gapWarned && System.nanoTime() - gapSince > GAP_WARN.toNanos()) {
        gapWarned = true;  // why say it: a transaction left open anywhere in the cluster holds back every live stream
        log.warn("change feed waits at change {} for transactions {} (running for {} s; see pg_stat_activity / pg_locks)",
            gapAt, String.join(",", gapWriters), GAP_WARN.toSeconds());
      }
    }
  }

  /** Whether the numbers missing before the next visible change can no longer commit (see {@link #checkGap}). */
  private boolean gapPassed() {
    if (gapAt != horizon + 1) {
      gapAt = horizon + 1;
      gapSince = System.nanoTime();
      gapWriters = null;
      gapCleared = false;
      gapWarned = false;
      return false;
    }
    return gapCleared;
  }

  /**
   * One read of the trail on the reader's own connection, kept while anyone subscribes: under load every
   * pooled connection may be in a stage's transaction, and a read waiting for one delays every stream.
   */
  private List<JobChange> read(long after, long upTo) {
    try {
      return read(reader(), after, upTo, BATCH);
    } catch (RuntimeException e) {
      closeReader();  // why: the connection may be broken; the next read takes a fresh one
      throw e;
    }
  }

  private Handle reader() {
    if (reader == null) {
      reader = jdbi.open();
    }
    return reader;
  }

  /** Gives the reader's connection back to the pool. Guarded by delivery. */
  private void closeReader() {
    Handle held = reader;
    reader = null;
    if (held != null) {
      try {
        held.close();
      } catch (RuntimeException e) {
        log.debug("could not close the change feed's connection: {}", e.toString());
      }
    }
  }

  private static List<JobChange> read(Handle h, long after, long upTo, int limit) {
    return mapChanges(h.createQuery(READ)
        .bind("after", after)
        .bind("upTo", upTo)
        .bind("limit", limit));
  }

  private static List<JobChange> mapChanges(org.jdbi.v3.core.statement.Query query) {
    return query.map((rs, ctx) -> {
          String metadata = rs.getString("metadata");
          return new JobChange(rs.getLong("seq"), rs.getObject("job_id", UUID.class), rs.getString("pipeline"),
              rs.getString("stage"), rs.getString("event_type"), rs.getString("message"),
              metadata == null ? null : Json.read(metadata), rs.getObject("created_at", OffsetDateTime.class));
        })
        .list();
  }

  /**
   * Once per {@link #LISTENERS_CHECK}: learns whether other nodes' feeds have subscribers, and keeps
   * this node's own row while it has some (deleted when it has none).
   */
  private void checkListeners() {
    long now = System.nanoTime();
    if (now - listenersCheckedAt < LISTENERS_CHECK.toNanos()) {
      return;
    }
    listenersCheckedAt = now;
    othersListening = jdbi.withHandle(h -> h.createQuery(
            "select exists (select 1 from change_feed_listeners where node_id <> :node and until > now())")
        .bind("node", nodeId).mapTo(Boolean.class).one());
    if (hasSubscribers() && now - listeningRenewedAt > LISTENING_LEASE.toNanos() / 3) {
      renewListening();
    } else if (!hasSubscribers() && listeningRenewedAt != 0) {
      stopListening();
    }
  }

  private void renewListening() {
    listeningRenewedAt = System.nanoTime();
    jdbi.useHandle(h -> h.createUpdate("""
            insert into change_feed_listeners (node_id, until) values (:node, now() + make_interval(secs => :lease))
            on conflict (node_id) do update set until = excluded.until""")
        .bind("node", nodeId).bind("lease", LISTENING_LEASE.toSeconds()).execute());
  }

  private void stopListening() {
    listeningRenewedAt = 0;
    jdbi.useHandle(h -> h.createUpdate("delete from change_feed_listeners where node_id = :node").bind("node", nodeId).execute());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void pause() {
    try {
      Thread.sleep(Math.min(fallback.toMillis(), FALLBACK.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1_000);  // why: a renewal in flight must not list this node again after the delete below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (delivery) {
      closeReader();
    }
    if (listeningRenewedAt != 0) {
      try {
        stopListening();
      } catch (RuntimeException e) {
        log.debug("could not remove this node from change_feed_listeners (its row lapses): {}", e.toString());
      }
    }
  }

  /**
   * One subscriber: its listener, the last change it was given, and the jobs it follows (null: every
   * change). It is registered first (the feed holds its live pages) and started after (see
   * {@link Pending}); one that resumes from a number before its registration catches up on its own
   * thread ({@link #replay}) and is handed the held pages after, so the feed's thread never waits for a replay.
   */
  private final class Feed implements Subscription, Pending {
    private final Set<UUID> jobs;
    private volatile Consumer<List<JobChange>> listener;
    private volatile long position;
    private long registeredAt;
    /** Live pages that came before it started or while it replayed (null once it is live). Guarded by this. */
    private List<List<JobChange>> held = new ArrayList<>();
    /** Whether it has caught up and takes live pages as they come (no longer holding them). */
    private volatile boolean live;
    private volatile boolean closed;

    Feed(Set<UUID> jobs) {
      this.jobs = jobs;
    }

    @Override
    public long registeredAt() {
      return registeredAt;
    }

    @Override
    public Subscription startAfter(long afterSeq, Consumer<List<JobChange>> listener, Runnable pace) {
      this.listener = listener;
      this.position = afterSeq;
      try {
        replay(registeredAt, pace);
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
      return this;
    }

    /**
     * On the subscriber's thread: what it missed up to {@code upTo} (everything after that reaches it
     * live), read a page at a time on a pooled connection, then the live pages held meanwhile.
     */
    private void replay(long upTo, Runnable pace) {
      long from = position;
      while (from < upTo && !closed) {  // why the check: a client gone (or too slow) stops its catch-up
        pace.run();
        List<JobChange> page = missed(jobs, from, upTo);
        synchronized (this) {
          deliver(page);
        }
        from = page.size() < REPLAY_PAGE ? upTo : page.get(page.size() - 1).seq();
      }
      synchronized (this) {
        List<List<JobChange>> waiting = held;
        held = null;
        live = true;
        waiting.forEach(this::deliver);
      }
    }

    /** On the feed's thread: a live page, handed over now or held until the subscriber has started and caught up. */
    synchronized void offer(List<JobChange> page) {
      if (closed) {
        return;
      }
      if (held != null) {
        held.add(page);
        return;
      }
      deliver(page);
    }

    /** The changes of {@code page} after this feed's position (a page is in sequence order). */
    private void deliver(List<JobChange> page) {
      int from = 0;
      while (from < page.size() && page.get(from).seq() <= position) {
        from++;
      }
      if (from == page.size()) {
        return;
      }
      List<JobChange> fresh = from == 0 ? page : page.subList(from, page.size());
      position = fresh.get(fresh.size() - 1).seq();
      try {
        listener.accept(fresh);
      } catch (RuntimeException | Error e) {
        log.warn("a change feed listener failed on changes {}..{}: {}", fresh.get(0).seq(), position, e.toString());
      }
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public void close() {
      closed = true;
      if (jobs == null) {
        subscribers.remove(this);
        return;
      }
      for (UUID job : jobs) {
        byJob.computeIfPresent(job, (id, feeds) -> {
          feeds.remove(this);
          return feeds.isEmpty() ? null : feeds;
        });
      }
    }
  }
}
