package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's claim orders by effective priority: priority + 10 per queues.priority_aging_seconds
 * waited (R__stage_claims.sql), then msg_id; aging 0 is the plain priority order.
 */
class ClaimAgingOrderTest {
  @BeforeEach
  void fill() {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> h.execute("""
        insert into queue_messages (queue_name, stage, job_id, priority, enqueued_at, message) values
          ('content', 'research', null, 10, now(), '{}'),
          ('content', 'research', null, -10, now() - interval '30 minutes', '{}'),
          ('content', 'research', null, 0, now() - interval '6 minutes', '{}'),
          ('content', 'research', null, 10, now(), '{}'),
          ('content', 'research', null, 0, now(), '{}')"""));
  }

  private static List<Integer> claimOne() {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select c.priority from claim_stage_attempts('content', 'research', 60, 1, null, false, 3, 60) c""")
        .mapTo(Integer.class).list());
  }

  /** Claims one message at a time until none is left, giving each one's priority in claim order. */
  private static List<Integer> oneByOne() {
    List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      order.addAll(claimOne());
    }
    return order;
  }

  @Test
  void an_old_low_message_outranks_fresh_high_ones_with_aging() {
    // five minutes per level: the LOW one is 6 levels up (-10 + 60 = 50); the 6-minute NORMAL one is one level
    // up (10) and ties with the fresh HIGH ones, broken by msg_id (it was sent between them)
    assertThat(oneByOne()).containsExactly(-10, 10, 0, 10, 0);
  }

  @Test
  void without_aging_the_claim_is_highest_priority_then_oldest() {
    TestDatabase.jdbi().useHandle(h -> h.execute("update queues set priority_aging_seconds = 0 where queue_name = 'content'"));

    assertThat(oneByOne()).containsExactly(10, 10, 0, 0, -10);
  }
}
