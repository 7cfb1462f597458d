package io.planperfect.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's once-a-second read (issue 20 item 6): ready messages counted from the stage's head up
 * to the larger of its limit and its trigger batch, and in flight as the slots held under a live lease, so
 * its cost does not grow with the backlog.
 */
class DispatchableCountsTest {
  private final StageConfigRepository configs =
      new StageConfigRepository(TestDatabase.jdbi(), new PipelineRegistry(List.of(ContentPipeline.definition())));

  @BeforeEach
  void setUp() {
    TestDatabase.clean();
  }

  @Test
  void ready_messages_are_counted_up_to_what_the_stage_could_take_and_in_flight_ones_by_their_held_slots() {
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("update content_stage_config set max_concurrency = 10, trigger_batch_size = 4 where stage = 'research'");
      h.execute("""
          insert into queue_messages (queue_name, stage, job_id, priority, message)
          select 'content', 'research', gen_random_uuid(), 0, '{}'::jsonb from generate_series(1, 30)""");
      h.execute("""
          insert into queue_messages (queue_name, stage, job_id, priority, message, vt, lease)
          select 'content', 'outline', gen_random_uuid(), 0, '{}'::jsonb, now() + interval '1 minute', gen_random_uuid()
            from generate_series(1, 3)""");
      h.execute("""
          update stage_slots set lease = gen_random_uuid(), expires_at = now() + interval '1 minute'
           where queue_name = 'content' and stage = 'outline' and slot < 2""");  // one message's slot already freed
      // a slot whose lease has run out holds nothing
      h.execute("""
          update stage_slots set lease = gen_random_uuid(), expires_at = now() - interval '1 second'
           where queue_name = 'content' and stage = 'research' and slot = 0""");
    });

    List<StageBacklog> counts = configs.dispatchable();

    assertThat(counts).filteredOn(b -> b.queue().equals("content") && b.stage().equals("research")).singleElement()
        .satisfies(b -> {
          assertThat(b.readyCount()).isEqualTo(10);
          assertThat(b.inFlightCount()).isZero();
        });
    assertThat(counts).filteredOn(b -> b.queue().equals("content") && b.stage().equals("outline")).singleElement()
        .satisfies(b -> {
          assertThat(b.readyCount()).isZero();
          assertThat(b.inFlightCount()).isEqualTo(2);
        });
  }
}
