package io.planperfect.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.BatchNodeMain;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batch counters stay exact when two node JVMs race over one batch's jobs and one of them is
 * SIGKILLed mid-run: its leased messages come back after their visibility and finish elsewhere,
 * every job is counted once, and the batch completes exactly once.
 */
@Tag("slow")
class BatchClusterTest {
  private final List<ChildNode> nodes = new ArrayList<>();

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ChildNode node : nodes) {
      node.close();
    }
  }

  private ChildNode node() throws Exception {
    ChildNode node = ChildNode.start(BatchNodeMain.class, List.of("40"), Map.of(
        "PLANPERFECT_STAGE_CONCURRENCY", "4", "CONTENT_QUEUE_VISIBILITY", "3", "CONTENT_STAGE_RETRY_DELAY_SECONDS", "0.1",
        "PLANPERFECT_SCHEDULER", "false"));
    nodes.add(node);
    return node;
  }

  @Test
  void two_racing_nodes_one_killed_count_every_job_once_and_finish_the_batch_once() throws Exception {
    ChildNode first = node();
    ChildNode second = node();
    StringBuilder csv = new StringBuilder("mode\n");
    for (int i = 0; i < 240; i++) {
      csv.append(i % 12 == 0 ? "fail" : i % 12 == 1 ? "once" : "ok").append('\n');
    }
    Http.Response response = new Http(first.port(), TestNode.ANON_KEY).post("/api/v1/batches?job_type=work", csv.toString(), "text/csv");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    UUID batch = UUID.fromString(response.json().path("batch_id").asText());

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
        TestDatabase.count("select completed from generation_batches where id = ?", batch) >= 20);
    second.kill();
    node();  // a replacement joins, as a restarted worker would

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
        TestDatabase.count("select count(*) from generation_batches where id = ? and finished_at is not null", batch) == 1);

    // the killed node had work in flight: messages of jobs that never fail were delivered twice
    assertThat(TestDatabase.count("""
        select count(*) from queue_archive a join jobs j on j.id = a.job_id
         where j.batch_id = ? and j.payload ->> 'mode' = 'ok' and a.read_ct >= 2""", batch)).isPositive();
    assertThat(TestDatabase.count("select completed from generation_batches where id = ?", batch)).isEqualTo(220);
    assertThat(TestDatabase.count("select failed from generation_batches where id = ?", batch)).isEqualTo(20);
    assertThat(TestDatabase.count("select cancelled from generation_batches where id = ?", batch)).isZero();
    assertThat(TestDatabase.count("select count(*) from jobs where batch_id = ? and status = 'completed'", batch)).isEqualTo(220);
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'batch_completed'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from generation_batches where id = ? and status = 'completed_with_failures'", batch))
        .isEqualTo(1);
  }
}
