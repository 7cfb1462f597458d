package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.RateLimitSettings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.scheduler.LiveNodes;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * S6 at CI size: a key flooding past its rate gets 429 with Retry-After while another key's requests
 * all succeed; each node enforces the rate divided by the live nodes serving HTTP.
 */
class RateLimitTest {
  private static final int ANON_RATE = 20;
  private static final long FLOOD_MILLIS = 3_000;

  @Test
  void a_flooding_key_gets_429_with_retry_after_while_the_other_key_keeps_succeeding() throws Exception {
    TestDatabase.clean();
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        Map.of("PLANPERFECT_RATE_LIMIT_ANON", Integer.toString(ANON_RATE), "PLANPERFECT_RATE_LIMIT_SERVICE", "200"))) {
      Probe probe = new Probe(node.port());
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger limited = new AtomicInteger();
      AtomicInteger other = new AtomicInteger();
      AtomicReference<Probe.Answer> refusal = new AtomicReference<>();
      ExecutorService flood = Executors.newFixedThreadPool(4);
      long started = System.nanoTime();
      long end = started + FLOOD_MILLIS * 1_000_000;
      List<Future<?>> floods = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        floods.add(flood.submit(() -> {
          while (System.nanoTime() < end) {
            Probe.Answer answer = probe.send("GET", "/api/v1/jobs?limit=1", RoutePaths.bearer(TestNode.ANON_KEY), (String) null);
            (answer.status() == 200 ? accepted : answer.status() == 429 ? limited : other).incrementAndGet();
            if (answer.status() == 429) {
              refusal.set(answer);
            }
          }
        }));
      }
      List<Integer> wellBehaved = new ArrayList<>();
      AtomicLong slowest = new AtomicLong();
      while (System.nanoTime() < end) {
        long before = System.nanoTime();
        wellBehaved.add(probe.send("GET", "/api/v1/jobs?limit=1", RoutePaths.bearer(TestNode.SERVICE_KEY), (String) null).status());
        slowest.accumulateAndGet(System.nanoTime() - before, Math::max);
        Thread.sleep(100);
      }
      for (Future<?> f : floods) {
        f.get();
      }
      flood.shutdown();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("S6 anon_rate=%d/s seconds=%.1f anon_accepted=%d anon_429=%d other=%d bound=%.0f service=%d/%d ok slowest=%.1fms%n",
          ANON_RATE, seconds, accepted.get(), limited.get(), other.get(), ANON_RATE * seconds + ANON_RATE,
          wellBehaved.stream().filter(s -> s == 200).count(), wellBehaved.size(), slowest.get() / 1e6);

      assertThat(limited.get()).isPositive();
      assertThat(other.get()).isZero();
      assertThat(accepted.get()).isLessThanOrEqualTo((int) Math.ceil((ANON_RATE * seconds + ANON_RATE) * 1.05));
      assertThat(refusal.get().header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
      assertThat(refusal.get().json().path("error").asText()).isEqualTo("rate_limited");
      assertThat(wellBehaved).isNotEmpty().containsOnly(200);
    }
  }

  @Test
  void a_node_that_sees_another_live_node_admits_half_the_rate() throws Exception {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> h.execute("delete from cluster_nodes"));
    insertNode("other-node", "{\"http\": true}", "now()");
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        Map.of("PLANPERFECT_RATE_LIMIT_ANON", "40"))) {
      Probe probe = new Probe(node.port());
      int accepted = 0;
      long started = System.nanoTime();
      while (System.nanoTime() - started < 2_000_000_000L) {
        accepted += probe.send("GET", "/api/v1/jobs?limit=1", RoutePaths.bearer(TestNode.ANON_KEY), (String) null).status() == 200 ? 1 : 0;
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("S6 two live nodes: rate 40/s, this node accepted %d in %.1f s (its share 20/s)%n", accepted, seconds);

      assertThat(accepted).isPositive().isLessThanOrEqualTo((int) Math.ceil((20 * seconds + 20) * 1.05));
    } finally {
      TestDatabase.jdbi().useHandle(h -> h.execute("delete from cluster_nodes where node_id = 'other-node'"));
    }
  }

  @Test
  void each_node_admits_the_rate_divided_by_the_live_nodes() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(100, 0), () -> 2, now::get);

    assertThat(limiter.share(Access.ANON)).isEqualTo(50.0);
    assertThat(admittedNow(limiter)).isEqualTo(50);
    now.addAndGet(1_000_000_000L);
    assertThat(admittedNow(limiter)).isEqualTo(50);
    now.addAndGet(100_000_000L);
    assertThat(admittedNow(limiter)).isEqualTo(5);
  }

  @Test
  void a_rate_of_zero_never_refuses() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(0, 0), () -> 1, () -> 0L);

    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.take(Access.ANON)).isZero();
      assertThat(limiter.take(Access.SERVICE)).isZero();
    }
  }

  @Test
  void live_nodes_are_this_node_and_the_other_http_nodes_seen_within_three_beats() {
    TestDatabase.clean();
    LiveNodes nodes = new LiveNodes(TestDatabase.jdbi(), "a");
    TestDatabase.jdbi().useHandle(h -> h.execute("delete from cluster_nodes"));
    nodes.refresh();
    assertThat(nodes.getAsInt()).as("this node, before its row is written").isEqualTo(1);

    insertNode("a", "{\"http\": true}", "now()");
    insertNode("b", "{\"http\": true}", "now()");
    insertNode("stale", "{\"http\": true}", "now() - interval '1 minute'");
    insertNode("worker-only", "{\"http\": false}", "now()");
    nodes.refresh();

    assertThat(nodes.getAsInt()).isEqualTo(2);
    TestDatabase.jdbi().useHandle(h -> h.execute("delete from cluster_nodes"));
  }

  private static void insertNode(String id, String roles, String seen) {
    TestDatabase.jdbi().useHandle(h -> h.execute("insert into cluster_nodes (node_id, host, pid, roles, started_at, last_seen_at)"
        + " values ('" + id + "', 'h', 1, '" + roles + "'::jsonb, now(), " + seen + ")"));
  }

  /** Requests admitted at the current instant until the first refusal (at most 10,000). */
  private static int admittedNow(RateLimiter limiter) {
    int admitted = 0;
    while (admitted < 10_000 && limiter.take(Access.ANON) == 0) {
      admitted++;
    }
    return admitted;
  }
}
