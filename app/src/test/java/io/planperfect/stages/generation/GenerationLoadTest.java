package io.planperfect.stages.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's load floor: 100+ jobs queued, 10 processed at once (the stage's limit, never more,
 * though the node has more runners), failed attempts retried, every job finished.
 */
class GenerationLoadTest {
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  private PlanPerfectNode node;

  /** The offline writer, slowed to 150 ms, failing the first call for every page whose keyword says "flaky". */
  private final ComponentWriter slowWriter = brief -> {
    int now = running.incrementAndGet();
    mostAtOnce.accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(150);
      if (brief.keywords().get(0).startsWith("flaky") && failedOnce.add(brief.keywords().get(0))) {
        throw new IllegalStateException("the writer failed once");
      }
      return new OfflineComponentWriter().write(brief);
    } finally {
      running.decrementAndGet();
    }
  };

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(
            GenerationPipeline.definition(TargetPageSource.NOT_CONFIGURED, slowWriter, Clock.systemUTC()))),
        Map.of("PLANPERFECT_STAGE_CONCURRENCY", "14"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void a_hundred_and_twenty_jobs_run_ten_at_a_time_and_all_finish_with_retries() {
    StringBuilder csv = new StringBuilder("pageType,targetUrl,keywords\n");
    for (int i = 0; i < 120; i++) {
      csv.append("product,https://shop.example.com/p/").append(i).append(',')
          .append(i % 20 == 0 ? "flaky kit " + i : "seed kit " + i).append(";garden\n");
    }
    Http.Response response = new Http(node.port(), TestNode.ANON_KEY).post("/api/v1/batches?job_type=generation", csv.toString(), "text/csv");
    assertThat(response.status()).as(response.body()).isEqualTo(201);

    await().atMost(Duration.ofSeconds(90)).until(() ->
        TestDatabase.count("select count(*) from jobs where status = 'completed'") == 120);

    assertThat(mostAtOnce.get()).isEqualTo(10);
    assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'component-generation' and attempt_count = 2"))
        .isEqualTo(6);
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'retry_scheduled'")).isEqualTo(6);
    assertThat(TestDatabase.count("select completed from generation_batches")).isEqualTo(120);
  }
}
