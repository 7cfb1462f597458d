package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.queue.NotificationListener;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed: every event in sequence order, woken by a notification after commit (the
 * fallback timer set far out here), resumable from a sequence number, never out of order.
 */
class JobChangesTest {
  private static final Duration NO_FALLBACK = Duration.ofMinutes(10);
  private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
  private final List<JobChange> seen = new CopyOnWriteArrayList<>();
  private UUID job;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    job = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "insert into jobs (pipeline, job_type) values ('content', 'article') returning id").mapTo(UUID.class).one());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private JobChanges feed(WorkSignals signals) {
    WorkAnnouncer announcer = new WorkAnnouncer(TestDatabase.jdbi(), signals);
    JobChanges changes = new JobChanges(TestDatabase.jdbi(), signals, announcer, NO_FALLBACK);
    closing.add(changes);
    closing.add(announcer);
    return changes;
  }

  private long event(Handle h, String type) {
    return event(h, job, type);
  }

  private static long event(Handle h, UUID of, String type) {
    return h.createQuery("""
            insert into job_events (job_id, pipeline, stage, event_type, message)
            values (:job, 'content', 'research', :type, :type) returning seq""")
        .bind("job", of).bind("type", type).mapTo(Long.class).one();
  }

  private long event(String type) {
    return TestDatabase.jdbi().withHandle(h -> event(h, type));
  }

  private List<String> seenTypes() {
    return seen.stream().map(JobChange::event).toList();
  }

  @Test
  void a_subscriber_gets_each_change_in_sequence_order_when_the_committing_code_signals_it() {
    JobChanges changes = feed(new WorkSignals());
    changes.subscribe(seen::add);

    event("queued");
    event("processing");
    event("completed");
    changes.changed();

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
    assertThat(seenTypes()).containsExactly("queued", "processing", "completed");
    assertThat(seen).extracting(JobChange::seq).isSorted();
    assertThat(seen).allSatisfy(c -> assertThat(c.jobId()).isEqualTo(job));
  }

  @Test
  void a_page_subscriber_gets_what_one_read_found_as_one_page_in_order_and_each_change_once() {
    JobChanges changes = feed(new WorkSignals());
    List<List<JobChange>> pages = new CopyOnWriteArrayList<>();
    changes.subscribePages(changes.latest(), pages::add);
    TestDatabase.jdbi().useTransaction(h -> {
      for (int i = 0; i < 50; i++) {
        event(h, "step-" + i);
      }
    });
    changes.changed();
    event("after");
    changes.changed();

    await().atMost(Duration.ofSeconds(5)).until(() -> pages.stream().mapToInt(List::size).sum() == 51);
    List<JobChange> all = pages.stream().flatMap(List::stream).toList();
    assertThat(all).extracting(JobChange::seq).isSorted().doesNotHaveDuplicates();
    // why: fifty changes committed together are visible to one read, so they arrive as one page, not fifty calls
    assertThat(pages.get(0).size()).isGreaterThanOrEqualTo(50);
  }

  private UUID newJob() {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "insert into jobs (pipeline, job_type) values ('content', 'article') returning id").mapTo(UUID.class).one());
  }

  private long event(UUID of, String type) {
    return TestDatabase.jdbi().withHandle(h -> event(h, of, type));
  }

  @Test
  void a_job_subscriber_gets_only_its_jobs_changes_while_many_job_subscribers_are_open() {
    JobChanges changes = feed(new WorkSignals());
    List<JobChange> others = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      UUID other = newJob();
      changes.subscribePages(changes.latest(), Set.of(other), others::addAll);
    }
    UUID unfollowed = newJob();
    changes.subscribePages(changes.latest(), Set.of(job), seen::addAll);

    event("queued");
    event(unfollowed, "queued");
    event("completed");
    changes.changed();

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen).extracting(JobChange::jobId).containsOnly(job);
    assertThat(seenTypes()).containsExactly("queued", "completed");
    assertThat(others).isEmpty();
  }

  @Test
  void a_subscriber_of_two_jobs_gets_their_changes_interleaved_in_sequence_order_each_once() {
    JobChanges changes = feed(new WorkSignals());
    UUID second = newJob();
    changes.subscribePages(changes.latest(), Set.of(job, second), seen::addAll);

    TestDatabase.jdbi().useTransaction(h -> {
      event(h, "queued");
      h.createUpdate("""
              insert into job_events (job_id, pipeline, stage, event_type, message)
              values (:job, 'content', 'research', 'queued', 'queued')""")
          .bind("job", second).execute();
      event(h, "completed");
    });
    changes.changed();

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
    assertThat(seen).extracting(JobChange::jobId).containsExactly(job, second, job);
    assertThat(seen).extracting(JobChange::seq).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void a_job_subscriber_resuming_from_an_old_number_gets_only_its_jobs_missed_changes_then_the_live_ones() {
    JobChanges changes = feed(new WorkSignals());
    UUID other = newJob();
    long before = event("queued");
    event(other, "queued");
    event("processing");

    changes.subscribePages(before, Set.of(job), seen::addAll);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

    event(other, "completed");
    event("completed");
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seenTypes()).containsExactly("processing", "completed");
    assertThat(seen).extracting(JobChange::jobId).containsOnly(job);
  }

  @Test
  void a_closed_job_subscription_gets_nothing_more_and_leaves_the_feed_without_subscribers() throws Exception {
    JobChanges changes = feed(new WorkSignals());
    JobChanges.Subscription subscription = changes.subscribePages(changes.latest(), Set.of(job), seen::addAll);
    event("queued");
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

    subscription.close();
    event("completed");
    changes.changed();
    Thread.sleep(500);  // why: a delivery, had the subscription stayed, takes a few milliseconds

    assertThat(seenTypes()).containsExactly("queued");
    // why: with no subscriber left the node takes itself off change_feed_listeners within a check or two
    await().atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.count("select count(*) from change_feed_listeners") == 0);
  }

  @Test
  void without_a_signal_nothing_is_read_until_the_fallback_timer() throws Exception {
    JobChanges changes = feed(new WorkSignals());
    changes.subscribe(seen::add);
    // why: a new subscription wakes the reader once; that read must be over before the change is written
    // (a fixed pause is not enough on a loaded machine: a late read would find the change, and rightly)
    awaitReadAfter(changes, System.nanoTime());

    event("queued");
    Thread.sleep(1_500);  // why: longer than the default fallback; this feed's is ten minutes

    assertThat(seen).isEmpty();
  }

  /**
   * Waits until the feed's thread has begun two passes after {@code since} (System.nanoTime): a wake-up
   * sent before {@code since} was taken by the pass that began before the second, and its read has ended.
   */
  private static void awaitReadAfter(JobChanges changes, long since) {
    passBegunAfter(changes, passBegunAfter(changes, since));
  }

  /** Waits for a pass of the feed's thread that began after {@code after}; returns a time no earlier than its beginning. */
  private static long passBegunAfter(JobChanges changes, long after) {
    AtomicLong begunBy = new AtomicLong();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
      long before = System.nanoTime();
      long age = changes.sinceLastPass().toNanos();
      long afterwards = System.nanoTime();
      if (before - age <= after) {
        return false;
      }
      begunBy.set(afterwards - age);
      return true;
    });
    return begunBy.get();
  }

  @Test
  void a_change_committed_on_another_node_arrives_by_its_notification() throws Exception {
    WorkSignals here = new WorkSignals();
    JobChanges local = feed(here);
    JobChanges otherNode = feed(new WorkSignals());
    local.subscribe(seen::add);
    NotificationListener listener = new NotificationListener(TestDatabase.address(), here);
    closing.add(listener);
    listener.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count(
        "select count(*) from pg_stat_activity where query = 'listen " + NotificationListener.CHANNEL + "'") == 1);
    Thread.sleep(200);  // why: the listener wakes every key once after it connects; let that pass first

    event("completed");

    // why repeated: the other node learns within a second that this node's feed has subscribers
    // (change_feed_listeners), and only then sends its notifications; nothing here signals `local`
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      otherNode.changed();
      return seenTypes().equals(List.of("completed"));
    });
  }

  @Test
  void a_subscriber_resumes_after_the_sequence_number_it_last_saw() {
    JobChanges changes = feed(new WorkSignals());
    event("queued");
    long second = event("processing");
    event("completed");

    changes.subscribe(second, seen::add);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    assertThat(seenTypes()).containsExactly("completed");

    event("job_completed");
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seenTypes()).containsExactly("completed", "job_completed");
  }

  @Test
  void a_change_is_not_delivered_before_an_earlier_numbered_one_still_being_committed() {
    JobChanges changes = feed(new WorkSignals());
    changes.subscribe(seen::add);
    Handle slow = TestDatabase.jdbi().open();
    closing.add(slow);
    slow.begin();
    long earlier = event(slow, "processing");  // numbered first, committed last

    long later = event("queued");
    changes.changed();
    // why this long: longer than any fixed wait for a gap could be; the open transaction holds it
    await().pollDelay(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(seen).isEmpty();

    slow.commit();
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen).extracting(JobChange::seq).containsExactly(earlier, later);
  }

  @Test
  void a_subscriber_of_one_job_gets_its_change_while_another_jobs_earlier_numbered_change_is_still_being_committed() {
    JobChanges changes = feed(new WorkSignals());
    UUID other = newJob();
    List<JobChange> everything = new CopyOnWriteArrayList<>();
    List<JobChange> ofBoth = new CopyOnWriteArrayList<>();
    changes.subscribe(everything::add);
    changes.subscribePages(changes.latest(), Set.of(job, other), ofBoth::addAll);
    changes.subscribePages(changes.latest(), Set.of(job), seen::addAll);
    Handle slow = TestDatabase.jdbi().open();
    closing.add(slow);
    slow.begin();
    long earlier = event(slow, other, "processing");  // another job's, numbered first, committed last

    long mine = event("queued");
    changes.changed();

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    assertThat(seen).extracting(JobChange::seq).containsExactly(mine);
    assertThat(everything).as("every change: held at the missing number").isEmpty();
    assertThat(ofBoth).as("two jobs' changes: held at the missing number").isEmpty();

    slow.commit();
    long next = event("completed");
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> everything.size() == 3 && ofBoth.size() == 3 && seen.size() == 2);
    assertThat(everything).extracting(JobChange::seq).containsExactly(earlier, mine, next);
    assertThat(ofBoth).extracting(JobChange::seq).containsExactly(earlier, mine, next);
    assertThat(seen).as("its own change once, then the next").extracting(JobChange::seq).containsExactly(mine, next);
  }

  @Test
  void a_change_still_being_committed_holds_the_feed_back_though_its_transaction_is_younger_than_every_committed_one() {
    JobChanges changes = feed(new WorkSignals());
    changes.subscribe(seen::add);
    Handle older = TestDatabase.jdbi().open();
    Handle slow = TestDatabase.jdbi().open();
    closing.add(older);
    closing.add(slow);
    older.begin();
    older.createQuery("select pg_current_xact_id()").mapTo(String.class).one();  // its transaction id comes first
    slow.begin();
    long earlier = event(slow, "processing");  // a younger transaction: numbered first, committed last
    long later = event(older, "queued");
    older.commit();
    changes.changed();

    await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(seen).as("nothing passes the number the running transaction holds").isEmpty();

    slow.commit();
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen).extracting(JobChange::seq).containsExactly(earlier, later);
  }

  @Test
  void a_subscriber_catching_up_from_far_back_holds_back_no_one_elses_live_changes_and_gets_its_own_in_order() throws Exception {
    JobChanges changes = feed(new WorkSignals());
    changes.subscribe(seen::add);
    event("queued");
    event("processing");
    changes.changed();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);

    CountDownLatch replaying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<JobChange> late = new CopyOnWriteArrayList<>();
    Thread subscriber = new Thread(() -> changes.subscribePages(0, pages -> {
      replaying.countDown();
      try {
        release.await();  // a slow catch-up: its first page is not taken until released
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      late.addAll(pages);
    }));
    subscriber.start();
    assertThat(replaying.await(5, TimeUnit.SECONDS)).isTrue();

    try {
      event("completed");
      changes.changed();
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
    } finally {
      release.countDown();
    }
    subscriber.join(5_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> late.size() == 3);
    assertThat(late).extracting(JobChange::event).containsExactly("queued", "processing", "completed");
  }

  @Test
  void a_number_taken_by_a_rolled_back_write_is_passed_once_no_transaction_that_could_commit_it_runs() {
    JobChanges changes = feed(new WorkSignals());
    changes.subscribe(seen::add);
    TestDatabase.jdbi().useHandle(h -> {
      h.begin();
      event(h, "processing");
      h.rollback();
    });

    event("queued");
    changes.changed();

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    assertThat(seenTypes()).containsExactly("queued");
  }

  @Test
  void a_node_notifies_others_only_while_another_nodes_feed_has_subscribers() {
    JobChanges here = feed(new WorkSignals());
    JobChanges there = feed(new WorkSignals());
    assertThat(TestDatabase.count("select count(*) from change_feed_listeners")).isZero();

    JobChanges.Subscription subscription = there.subscribe(seen::add);
    assertThat(TestDatabase.count("select count(*) from change_feed_listeners where until > now()")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(here::notifiesOthers);

    subscription.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.count("select count(*) from change_feed_listeners") == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> !here.notifiesOthers());
  }
}
