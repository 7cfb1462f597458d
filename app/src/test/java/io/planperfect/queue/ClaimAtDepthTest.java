package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The claim reads the index in claim order, so its cost does not grow with the backlog. */
class ClaimAtDepthTest {
  private static final String CLAIM_SUBQUERY = """
      explain (analyze, buffers, format text)
      select msg_id from queue_messages
       where queue_name = 'content' and stage = 'research' and vt <= now()
       order by priority desc, msg_id limit 10 for update skip locked""";

  private final MessageQueue queue = new MessageQueue(TestDatabase.jdbi());

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private static void fill(int messages) {
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("""
          insert into queue_messages (queue_name, stage, job_id, priority, message)
          select 'content', (array['research','outline','draft'])[1 + g % 3], gen_random_uuid(), g % 3,
                 jsonb_build_object('stage', 'research', 'payload', jsonb_build_object('n', g))
            from generate_series(1, ?) g""", messages);
      h.execute("analyze queue_messages");
    });
  }

  private static String plan() {
    List<String> lines = TestDatabase.jdbi().withHandle(h -> h.createQuery(CLAIM_SUBQUERY).mapTo(String.class).list());
    return String.join("\n", lines);
  }

  private static long sharedBuffersHit(String plan) {
    var matcher = java.util.regex.Pattern.compile("shared hit=(\\d+)").matcher(plan);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
  }

  @Test
  void the_claim_uses_the_claim_index_and_never_scans_the_table() {
    fill(60_000);

    String plan = plan();

    assertThat(plan).contains("Index Scan using queue_messages_claim_idx").doesNotContain("Seq Scan").doesNotContain("Sort");
  }

  @Test
  void the_claim_touches_about_as_many_pages_at_sixty_thousand_as_at_three_thousand() {
    fill(3_000);
    long shallow = sharedBuffersHit(plan());
    TestDatabase.clean();
    fill(60_000);
    long deep = sharedBuffersHit(plan());

    assertThat(deep).isLessThanOrEqualTo(shallow + 5);
  }

  @Test
  void priorities_are_honoured_across_the_whole_queue() {
    fill(3_000);
    List<Integer> priorities = new ArrayList<>();
    List<QueueMessage> batch;
    while (!(batch = queue.claim("content", "research", Duration.ofMinutes(5), 50)).isEmpty()) {
      batch.forEach(m -> priorities.add(m.priority()));
    }

    assertThat(priorities).hasSize(1_000).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }
}
