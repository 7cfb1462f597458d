package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessageQueueTest {
  private static final Duration VT = Duration.ofSeconds(30);
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final MessageQueue queue = new MessageQueue(jdbi);

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private long send(String stage, SendOptions options) {
    return jdbi.inTransaction(h -> queue.send(h, "content", stage, UUID.randomUUID(), Json.object(), options));
  }

  /** The research message, claimed as soon as it becomes visible (its delay or visibility timeout ends). */
  private QueueMessage awaitClaim(Duration visibility) {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
        .until(() -> queue.claim("content", "research", visibility, 1), claimed -> !claimed.isEmpty()).get(0);
  }

  @Test
  void claim_returns_the_highest_priority_first_then_the_oldest() {
    long low = send("research", SendOptions.priority(0));
    long high = send("research", SendOptions.priority(5));
    long lowLater = send("research", SendOptions.priority(0));

    List<Long> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      order.add(queue.claim("content", "research", VT, 1).get(0).msgId());
    }

    assertThat(order).containsExactly(high, low, lowLater);
  }

  @Test
  void claim_never_returns_a_message_of_another_stage() {
    send("outline", SendOptions.NOW);
    long research = send("research", SendOptions.NOW);

    List<QueueMessage> claimed = queue.claim("content", "research", VT, 10);

    assertThat(claimed).extracting(QueueMessage::msgId).containsExactly(research);
  }

  @Test
  void a_batch_claim_never_returns_more_than_asked() {
    for (int i = 0; i < 7; i++) {
      send("research", SendOptions.NOW);
    }

    assertThat(queue.claim("content", "research", VT, 5)).hasSize(5);
    assertThat(queue.claim("content", "research", VT, 5)).hasSize(2);
  }

  @Test
  void a_delayed_message_is_not_delivered_before_its_delay() {
    // why 3 s: the claim below must come before the delay ends, and a commit and a claim can take a second on a loaded machine
    send("research", SendOptions.delay(Duration.ofSeconds(3)));

    assertThat(queue.claim("content", "research", VT, 1)).isEmpty();
    assertThat(awaitClaim(VT)).isNotNull();
  }

  @Test
  void a_message_never_archived_comes_back_after_its_visibility_timeout_with_read_count_incremented() {
    long id = send("research", SendOptions.NOW);
    // why 3 s: the second claim must come while the first one's lease holds, also on a loaded machine
    QueueMessage first = queue.claim("content", "research", Duration.ofSeconds(3), 1).get(0);
    assertThat(queue.claim("content", "research", VT, 1)).isEmpty();

    QueueMessage again = awaitClaim(VT);

    assertThat(again.msgId()).isEqualTo(id);
    assertThat(again.readCount()).isEqualTo(first.readCount() + 1);
    assertThat(again.lease()).isNotEqualTo(first.lease());
  }

  @Test
  void archive_with_a_lost_lease_is_refused_and_the_new_holder_can_archive() {
    send("research", SendOptions.NOW);
    QueueMessage stale = queue.claim("content", "research", Duration.ofMillis(200), 1).get(0);
    QueueMessage current = awaitClaim(VT);

    boolean staleArchived = jdbi.inTransaction(h -> queue.archive(h, stale.msgId(), stale.lease()));
    boolean currentArchived = jdbi.inTransaction(h -> queue.archive(h, current.msgId(), current.lease()));

    assertThat(staleArchived).isFalse();
    assertThat(currentArchived).isTrue();
    assertThat(TestDatabase.count("select count(*) from queue_archive where msg_id = ?", current.msgId())).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void a_message_never_claimed_is_archived_and_deleted_by_its_id_with_no_lease() {
    long archived = send("research", SendOptions.NOW);
    long deleted = send("research", SendOptions.NOW);

    assertThat(queue.archive(List.of(new Lease(archived, null)))).containsExactly(archived);
    assertThat(queue.delete("content", List.of(new Lease(deleted, null)))).containsExactly(deleted);
    assertThat(TestDatabase.count("select count(*) from queue_archive where msg_id = ?", archived)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void a_released_message_can_be_claimed_again_at_once() {
    send("research", SendOptions.NOW);
    QueueMessage claimed = queue.claim("content", "research", VT, 1).get(0);

    assertThat(queue.release(claimed.msgId(), claimed.lease())).isTrue();

    assertThat(queue.claim("content", "research", VT, 1)).extracting(QueueMessage::msgId).containsExactly(claimed.msgId());
  }

  @Test
  void extending_visibility_needs_the_current_lease() {
    send("research", SendOptions.NOW);
    QueueMessage claimed = queue.claim("content", "research", VT, 1).get(0);

    assertThat(queue.extendVisibility(claimed.msgId(), claimed.lease(), VT)).isTrue();
    assertThat(queue.extendVisibility(claimed.msgId(), UUID.randomUUID(), VT)).isFalse();
  }

  @Test
  void claim_and_archive_takes_the_head_of_the_stage_into_the_archive_as_if_claimed() {
    long low = send("research", SendOptions.priority(0));
    long high = send("research", SendOptions.priority(5));
    send("research", SendOptions.priority(0));
    send("outline", SendOptions.priority(9));

    List<QueueMessage> taken = queue.claimAndArchive("content", java.util.Optional.of("research"), VT, 2);

    assertThat(taken).extracting(QueueMessage::msgId).containsExactly(high, low);
    assertThat(taken).allSatisfy(m -> {
      assertThat(m.readCount()).isEqualTo(1);
      assertThat(m.lease()).isNotNull();
    });
    assertThat(TestDatabase.count("select count(*) from queue_archive where msg_id in (?, ?) and read_ct = 1", high, low))
        .isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from queue_messages where queue_name = 'content'")).isEqualTo(2);
  }

  @Test
  void claim_and_archive_leaves_a_delayed_or_claimed_message_in_the_queue() {
    send("research", SendOptions.delay(Duration.ofMinutes(5)));
    send("research", SendOptions.NOW);
    queue.claim("content", "research", VT, 1);

    assertThat(queue.claimAndArchive("content", java.util.Optional.of("research"), VT, 10)).isEmpty();
    assertThat(TestDatabase.count("select count(*) from queue_archive")).isZero();
  }

  @Test
  void a_single_send_keeps_every_option_it_was_given() {
    UUID job = UUID.randomUUID();
    SendOptions options = new SendOptions(3, Duration.ofSeconds(90), Duration.ofSeconds(45), 4, Duration.ofSeconds(12));

    long id = jdbi.inTransaction(h -> queue.send(h, "content", "research", job, Json.object().put("x", 1), options));

    assertThat(TestDatabase.count("""
        select count(*) from queue_messages
         where msg_id = ? and job_id = ? and stage = 'research' and priority = 3 and visibility_seconds = 45
           and max_attempts = 4 and retry_delay_seconds = 12 and vt > now() + interval '80 seconds'
           and message = jsonb_build_object('job_id', job_id::text, 'stage', 'research', 'payload', jsonb_build_object('x', 1))""",
        id, job)).isEqualTo(1);
  }

  @Test
  void concurrent_claimers_never_receive_the_same_message_and_receive_every_message() throws Exception {
    int initial = 20_000;
    jdbi.useTransaction(h -> {
      List<Outgoing> batch = new ArrayList<>();
      for (int i = 0; i < initial; i++) {
        batch.add(new Outgoing("research", UUID.randomUUID(), Json.object(), SendOptions.priority(i % 3)));
      }
      queue.sendBatch(h, "content", batch);
    });
    int sentDuringRun = 2 * 250;
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    List<Long> duplicates = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<?>> senders = new ArrayList<>();
    List<Future<?>> tasks = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean sendersDone = new java.util.concurrent.atomic.AtomicBoolean();
    for (int s = 0; s < 2; s++) {
      senders.add(pool.submit(() -> {
        for (int i = 0; i < sentDuringRun / 2; i++) {
          send("research", SendOptions.NOW);
        }
      }));
    }
    for (int c = 0; c < 8; c++) {
      tasks.add(pool.submit(() -> {
        boolean drained = false;
        while (!drained) {
          boolean finalPass = sendersDone.get();
          List<QueueMessage> claimed = queue.claim("content", "research", VT, 10);
          drained = finalPass && claimed.isEmpty();
          for (QueueMessage m : claimed) {
            if (!seen.add(m.msgId())) {
              synchronized (duplicates) {
                duplicates.add(m.msgId());
              }
            }
            jdbi.useTransaction(h -> queue.archive(h, m.msgId(), m.lease()));
          }
        }
      }));
    }
    for (Future<?> sender : senders) {
      sender.get();
    }
    sendersDone.set(true);
    for (Future<?> task : tasks) {
      task.get();
    }
    pool.shutdown();

    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(initial + sentDuringRun);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }
}
