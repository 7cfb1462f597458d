package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.Priority;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Story 4.4's priorities: HIGH before NORMAL before LOW, and aging in the claim so that a LOW job
 * still runs under a steady stream of HIGH ones (and starves without it).
 */
class PriorityAgingTest {
  private final List<UUID> started = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong highWaitingWhenLowStarted = new AtomicLong(-1);
  private volatile UUID lowJob;
  private final PipelineDefinition pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
      new StageDefinition("research", context -> {
        if (context.jobId().equals(lowJob)) {  // counted before the start is seen, so the test never reads it unset
          highWaitingWhenLowStarted.set(TestDatabase.count(
              "select count(*) from queue_messages where stage = 'research' and priority = 10 and vt <= now()"));
        }
        started.add(context.jobId());
        Thread.sleep(40);
        return StageOutcome.completed(Json.object());
      })));
  private PlanPerfectNode node;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private UUID submit(Priority priority) {
    return node.intake().submit(new NewJob(pipeline, "article", null, Json.object(), "research", priority.value()));
  }

  private static void research(String setting) {
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set " + setting
        + " where queue = 'content' and stage = 'research'"));
  }

  private static void aging(int seconds) {
    TestDatabase.jdbi().useHandle(h -> h.execute("update queues set priority_aging_seconds = ? where queue_name = 'content'", seconds));
  }

  @Test
  void high_jobs_submitted_after_two_hundred_low_ones_start_before_them() {
    research("enabled = false");
    for (int i = 0; i < 200; i++) {
      submit(Priority.LOW);
    }
    List<UUID> normal = List.of(submit(Priority.NORMAL), submit(Priority.NORMAL));
    List<UUID> high = List.of(submit(Priority.HIGH), submit(Priority.HIGH), submit(Priority.HIGH));

    research("enabled = true, max_concurrency = 1");
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() >= 5);

    // why a copy: the runner goes on adding the LOW jobs' starts while the assertions read the list
    List<UUID> firstFive = List.copyOf(started).subList(0, 5);
    assertThat(firstFive.subList(0, 3)).containsExactlyElementsOf(high);
    assertThat(firstFive.subList(3, 5)).containsExactlyElementsOf(normal);
  }

  @Test
  void a_low_job_starves_under_a_steady_high_stream_without_aging_and_runs_with_it() throws Exception {
    // why paused while the backlog is queued: the runner starts with all of it ahead of the LOW job
    research("enabled = false");
    aging(0);
    AtomicBoolean streaming = new AtomicBoolean(true);
    Thread stream = new Thread(() -> {
      while (streaming.get()) {
        submit(Priority.HIGH);
        try {
          Thread.sleep(8);  // about twice what one runner at 40 ms a job can serve
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "high-stream");
    try {
      // why 100: one runner at 40 ms a job needs 4 s for them, so the LOW job cannot be reached in the 3 s
      // below however slow the stream is (with 40, started as they came, a stalled stream let it through)
      for (int i = 0; i < 100; i++) {
        submit(Priority.HIGH);
      }
      lowJob = submit(Priority.LOW);
      stream.start();
      research("enabled = true, max_concurrency = 1");
      Thread.sleep(3_000);
      assertThat(List.copyOf(started)).as("without aging the LOW job waits behind every HIGH one").doesNotContain(lowJob);

      aging(1);  // one level per second: the LOW job outranks fresh HIGH ones once it is about two seconds older
      // why 60 s: the LOW job comes after the backlog (older, so ahead of it) and the HIGH ones of its first seconds
      await().atMost(Duration.ofSeconds(60)).until(() -> started.contains(lowJob));
      assertThat(streaming.get()).isTrue();
      assertThat(highWaitingWhenLowStarted.get()).as("HIGH jobs were still waiting when the LOW one started").isPositive();
    } finally {
      streaming.set(false);
      stream.join(5_000);
    }
  }
}
