package io.planperfect.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.crash.ChildNode;
import io.planperfect.testing.ArticleWriterStub;
import io.planperfect.testing.Http;
import io.planperfect.testing.ModelNodeMain;
import io.planperfect.testing.ProviderStub;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two node JVMs call one provider whose {@code llm_limits} row allows 5 requests a minute: between
 * them they make exactly 5 calls in the minute, and the stages beyond it wait with an event.
 */
@Tag("slow")
class ClusterRateLimitTest {
  private static final int LIMIT = 5;

  @Test
  void two_nodes_together_stay_within_the_providers_requests_per_minute() throws Exception {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "insert into llm_limits (provider, requests_per_minute) values ('openai', " + LIMIT + ")"));
    try (ProviderStub stub = new ProviderStub(new ArticleWriterStub())) {
      Map<String, String> env = Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", "sk-cluster-test",
          "OPENAI_BASE_URL", stub.baseUrl(), "PLANPERFECT_STAGE_CONCURRENCY", "4", "PLANPERFECT_SCHEDULER", "false");
      List<ChildNode> nodes = new ArrayList<>();
      try {
        nodes.add(ChildNode.start(ModelNodeMain.class, List.of(), env));
        nodes.add(ChildNode.start(ModelNodeMain.class, List.of(), env));
        Http http = new Http(nodes.get(0).port(), TestNode.SERVICE_KEY);
        for (int i = 0; i < 8; i++) {
          assertThat(http.post("/api/v1/jobs", """
              {"job_type": "article", "payload": {"title": "Balcony tomatoes %d", "keywords": ["container gardening"],
               "word_count": 300}}""".formatted(i)).status()).isEqualTo(201);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> stub.requests().size() >= LIMIT && TestDatabase.count(
            "select count(distinct job_id) from job_events where event_type = 'waiting' and message like '%openai rate limit%'") >= 3);

        List<java.time.Instant> arrivals = stub.requests().stream().map(ProviderStub.Request::at).sorted().toList();
        for (java.time.Instant first : arrivals) {
          assertThat(arrivals.stream().filter(at -> !at.isBefore(first) && at.isBefore(first.plusSeconds(60))))
              .as("requests in the minute from %s", first).hasSizeLessThanOrEqualTo(LIMIT);
        }
      } finally {
        for (ChildNode node : nodes) {
          node.close();
        }
      }
    }
  }
}
