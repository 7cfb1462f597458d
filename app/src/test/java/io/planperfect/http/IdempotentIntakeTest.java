package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Idempotency-Key header on every intake route (issue 19 item 7): a retry with the same key and body
 * gets the first answer (200, Idempotency-Replayed: true) and stores nothing more; the key with another
 * body is a 422 naming the header; concurrent duplicates make exactly one job; keys are per API key.
 */
class IdempotentIntakeTest {
  private static final PipelineDefinition WORK = new PipelineDefinition("work", "content", List.of("work"), List.of(
      new StageDefinition("research", context -> StageOutcome.completed(Json.object().put("done", true)))));
  private static final String BODY = "{\"job_type\": \"work\", \"payload\": {\"title\": \"Tomatoes\"}}";

  private PlanPerfectNode node;
  private Http anon;
  private Http service;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(WORK)));
    anon = new Http(node.port(), TestNode.ANON_KEY);
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static Map<String, String> key(String key) {
    return Map.of("Idempotency-Key", key);
  }

  @Test
  void the_same_key_with_the_same_body_answers_the_first_job_with_200_and_the_replay_header() {
    Http.Response first = anon.post("/api/v1/jobs", BODY, key("order-1"));
    Http.Response again = anon.post("/api/v1/jobs", BODY, key("order-1"));

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.header("Idempotency-Replayed")).isEmpty();
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.header("Idempotency-Replayed")).contains("true");
    assertThat(again.json().path("job_id").asText()).isEqualTo(first.json().path("job_id").asText());
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(1);
  }

  @Test
  void the_same_key_with_another_body_is_a_422_naming_the_header_and_stores_nothing() {
    anon.post("/api/v1/jobs", BODY, key("order-2"));

    Http.Response other = anon.post("/api/v1/jobs", BODY.replace("Tomatoes", "Peppers"), key("order-2"));

    assertThat(other.status()).as(other.body()).isEqualTo(422);
    assertThat(other.json().path("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(other.json().path("error").asText()).isEqualTo("idempotency_key_reused");
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(1);
  }

  @Test
  void twenty_concurrent_requests_with_one_key_make_one_job_and_twenty_answers_naming_it() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Http.Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return anon.post("/api/v1/jobs", BODY, key("burst"));
        }));
      }
      go.countDown();
      List<Http.Response> responses = new ArrayList<>();
      for (Future<Http.Response> answer : answers) {
        responses.add(answer.get());
      }

      assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(200, 201));
      assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(1);
      assertThat(responses.stream().map(r -> r.json().path("job_id").asText()).distinct()).hasSize(1);
      assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(1);
      assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_batch_with_a_key_is_stored_once_and_replayed_with_the_same_batch_and_job_ids() {
    String batch = "[" + BODY + ", " + BODY + "]";
    Http.Response first = anon.post("/api/v1/batches", batch, key("batch-1"));
    Http.Response again = anon.post("/api/v1/batches", batch, key("batch-1"));
    Http.Response other = anon.post("/api/v1/batches", "[" + BODY + "]", key("batch-1"));

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.header("Idempotency-Replayed")).contains("true");
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(other.status()).as(other.body()).isEqualTo(422);
    assertThat(other.json().path("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(2);
  }

  @Test
  void the_seed_routes_honour_the_key_too() {
    Http.Response first = anon.post("/functions/v1/content-intake", BODY, key("seed-1"));
    Http.Response again = anon.post("/functions/v1/content-intake", BODY, key("seed-1"));
    Http.Response elsewhere = anon.post("/api/v1/jobs", BODY, key("seed-1"));

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("job_id").asText()).isEqualTo(first.json().path("job_id").asText());
    assertThat(elsewhere.status()).as("the same key on another route is another request").isEqualTo(422);
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(1);
  }

  @Test
  void keys_are_scoped_per_api_key_and_requests_without_a_key_are_never_merged() {
    Http.Response byAnon = anon.post("/api/v1/jobs", BODY, key("shared"));
    Http.Response byService = service.post("/api/v1/jobs", BODY, key("shared"));
    anon.post("/api/v1/jobs", BODY);
    anon.post("/api/v1/jobs", BODY);

    assertThat(byAnon.status()).isEqualTo(201);
    assertThat(byService.status()).isEqualTo(201);
    assertThat(byService.json().path("job_id").asText()).isNotEqualTo(byAnon.json().path("job_id").asText());
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isEqualTo(2);
  }

  @Test
  void a_key_past_its_24_hours_is_taken_by_the_next_request_as_new() {
    Http.Response first = anon.post("/api/v1/jobs", BODY, key("old"));
    TestDatabase.jdbi().useHandle(h -> h.execute("update idempotency_keys set created_at = now() - interval '25 hours'"));

    Http.Response later = anon.post("/api/v1/jobs", BODY.replace("Tomatoes", "Peppers"), key("old"));

    assertThat(later.status()).as(later.body()).isEqualTo(201);
    assertThat(later.json().path("job_id").asText()).isNotEqualTo(first.json().path("job_id").asText());
    assertThat(TestDatabase.count("select count(*) from idempotency_keys where created_at > now() - interval '1 hour'"))
        .isEqualTo(1);
  }

  @Test
  void a_malformed_key_is_a_400_naming_the_header_and_a_refused_body_stores_no_key() {
    Http.Response tooLong = anon.post("/api/v1/jobs", BODY, key("x".repeat(256)));
    Http.Response badBody = anon.post("/api/v1/jobs", "{\"job_type\": \"nope\", \"payload\": {}}", key("bad-body"));

    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().path("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(badBody.status()).isEqualTo(400);
    assertThat(badBody.json().path("field").asText()).isEqualTo("job_type");
    assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isZero();
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }
}
