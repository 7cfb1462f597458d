package io.planperfect.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch's callback_url: checked by the fetcher's rules at intake, owed in the transaction that
 * finishes the batch, posted after it by the node's delivery loop to a real HTTP receiver on 127.0.0.1
 * (allowed by PLANPERFECT_FETCH_ALLOW, as an operator would), signed, retried with backoff, failed after
 * the last attempt, and shown on the batch.
 */
class BatchCallbacksTest {
  private static final String SECRET = "test-webhook-secret-0123456789";
  private static final PipelineDefinition WORK = new PipelineDefinition("work", "content", List.of("work"), List.of(
      new StageDefinition("research", context -> StageOutcome.completed(Json.object().put("done", true)))));

  /** One request the receiver got. */
  record Received(String body, String timestamp, String signature, Instant at) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  /** The statuses the receiver answers, in order; 200 once they run out. */
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private HttpServer receiver;
  private PlanPerfectNode node;
  private Http service;

  @BeforeEach
  void start() throws IOException {
    TestDatabase.clean();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new Received(new String(body, StandardCharsets.UTF_8),
          exchange.getRequestHeaders().getFirst("X-PlanPerfect-Timestamp"),
          exchange.getRequestHeaders().getFirst("X-PlanPerfect-Signature"), Instant.now()));
      Integer status = answers.poll();
      exchange.sendResponseHeaders(status == null ? 200 : status, -1);
      exchange.close();
    });
    receiver.start();
    node = TestNode.start(new PipelineRegistry(List.of(WORK)), Map.of(
        "PLANPERFECT_FETCH_ALLOW", "127.0.0.1",
        "PLANPERFECT_WEBHOOK_SECRET", SECRET,
        "PLANPERFECT_CALLBACK_MAX_ATTEMPTS", "3",
        "PLANPERFECT_CALLBACK_BACKOFF_SECONDS", "0.05",
        "PLANPERFECT_CALLBACK_BACKOFF_MAX_SECONDS", "0.2",
        "PLANPERFECT_CALLBACK_POLL_MILLIS", "50"));
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
    receiver.stop(0);
  }

  private String hook() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private UUID submit(String callbackUrl, int jobs) {
    StringBuilder rows = new StringBuilder("[");
    for (int i = 0; i < jobs; i++) {
      rows.append(i == 0 ? "" : ",").append("{\"job_type\": \"work\", \"payload\": {\"n\": ").append(i).append("}}");
    }
    String body = callbackUrl == null ? rows + "]" : "{\"callback_url\": \"" + callbackUrl + "\", \"jobs\": " + rows + "]}";
    Http.Response response = service.post("/api/v1/batches", body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().path("batch_id").asText());
  }

  private JsonNode callback(UUID batch) {
    return service.get("/api/v1/batches/" + batch).json().path("callback");
  }

  private JsonNode awaitCallback(UUID batch, String status) {
    await().atMost(Duration.ofSeconds(20)).until(() -> callback(batch).path("status").asText().equals(status));
    return callback(batch);
  }

  private static String hmac(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_finished_batch_is_called_back_once_with_its_summary_and_a_valid_signature() throws Exception {
    UUID batch = submit(hook(), 3);

    JsonNode callback = awaitCallback(batch, "delivered");
    assertThat(callback.path("attempts").asInt()).isEqualTo(1);
    assertThat(callback.path("last_status").asInt()).isEqualTo(200);
    assertThat(callback.path("delivered_at").isNull()).isFalse();
    assertThat(received).hasSize(1);
    Received request = received.get(0);
    assertThat(request.signature()).isEqualTo(hmac(SECRET, request.timestamp() + "." + request.body()));
    assertThat(Math.abs(Long.parseLong(request.timestamp()) - Instant.now().getEpochSecond())).isLessThan(300);
    JsonNode summary = Json.read(request.body());
    assertThat(summary.path("event").asText()).isEqualTo("batch_completed");
    assertThat(summary.path("batch_id").asText()).isEqualTo(batch.toString());
    assertThat(summary.path("pipeline").asText()).isEqualTo("work");
    assertThat(summary.path("status").asText()).isEqualTo("completed");
    assertThat(summary.path("total_jobs").asInt()).isEqualTo(3);
    assertThat(summary.path("completed").asInt()).isEqualTo(3);
    assertThat(summary.path("failed").asInt()).isZero();
    assertThat(summary.path("cancelled").asInt()).isZero();
    assertThat(summary.path("finished_at").asText()).isNotEmpty();
    assertThat(TestDatabase.count("select count(*) from callback_deliveries where subject_id = ?", batch)).isEqualTo(1);
    assertThat(received).as("no second delivery after a 2xx").hasSize(1);
  }

  @Test
  void a_receiver_answering_500_twice_gets_three_requests_and_the_batch_shows_delivered() {
    answers.add(500);
    answers.add(500);
    UUID batch = submit(hook(), 1);

    JsonNode callback = awaitCallback(batch, "delivered");
    assertThat(received).hasSize(3);
    assertThat(callback.path("attempts").asInt()).isEqualTo(3);
    assertThat(callback.path("last_status").asInt()).isEqualTo(200);
    assertThat(received.stream().map(Received::body).distinct()).as("every attempt sends the same body").hasSize(1);
  }

  @Test
  void a_receiver_that_always_fails_leaves_the_callback_failed_after_the_last_attempt() {
    for (int i = 0; i < 10; i++) {
      answers.add(503);
    }
    UUID batch = submit(hook(), 1);

    JsonNode callback = awaitCallback(batch, "failed");
    assertThat(received).hasSize(3);
    assertThat(callback.path("attempts").asInt()).isEqualTo(3);
    assertThat(callback.path("last_status").asInt()).isEqualTo(503);
    assertThat(callback.path("last_error").asText()).contains("HTTP 503", "attempt 3 of 3");
    assertThat(callback.path("delivered_at").isNull()).isTrue();
  }

  @Test
  void a_callback_url_the_fetcher_refuses_is_a_400_naming_callback_url_and_stores_nothing() {
    for (String url : List.of("http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook")) {
      Http.Response response = service.post("/api/v1/batches",
          "{\"callback_url\": \"" + url + "\", \"jobs\": [{\"job_type\": \"work\", \"payload\": {}}]}");
      assertThat(response.status()).as(url + ": " + response.body()).isEqualTo(400);
      assertThat(response.json().path("field").asText()).isEqualTo("callback_url");
      assertThat(response.json().path("message").asText()).contains("rule");
    }
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isZero();
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void a_batch_without_callback_url_owes_no_delivery() {
    UUID batch = submit(null, 2);

    await().atMost(Duration.ofSeconds(20))
        .until(() -> service.get("/api/v1/batches/" + batch).json().path("status").asText().equals("completed"));
    assertThat(callback(batch).isNull()).isTrue();
    assertThat(TestDatabase.count("select count(*) from callback_deliveries")).isZero();
    assertThat(received).isEmpty();
  }

  @Test
  void an_address_refused_at_delivery_time_fails_the_callback_at_once_naming_the_rule() {
    // why straight into the table: the name resolved to a public address at intake and now resolves
    // to a private one; the delivery checks the rules again and never connects
    UUID subject = UUID.randomUUID();
    TestDatabase.jdbi().useHandle(h -> h.execute("insert into callback_deliveries (subject, subject_id, url, body) "
        + "values ('batch', ?, 'http://10.1.2.3/hook', '{}'::jsonb)", subject));

    await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.count(
        "select count(*) from callback_deliveries where subject_id = ? and status = 'failed'", subject) == 1);
    assertThat(TestDatabase.count("select attempts from callback_deliveries where subject_id = ?", subject)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from callback_deliveries where subject_id = ? "
        + "and last_error like '%rule private%'", subject)).isEqualTo(1);
  }

  @Test
  void a_delivery_claimed_by_a_node_that_died_is_posted_again_once_its_claim_runs_out() {
    // why straight into the table: the state a node leaves when it dies between its claim and the
    // receiver's answer (attempt 1 begun, lease held, claim expired)
    UUID subject = UUID.randomUUID();
    TestDatabase.jdbi().useHandle(h -> h.execute("insert into callback_deliveries (subject, subject_id, url, body, "
        + "attempts, lease, next_attempt_at) values ('batch', ?, ?, '{\"batch_id\": 1}'::jsonb, 1, gen_random_uuid(), "
        + "now() - interval '1 second')", subject, hook()));

    await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.count(
        "select count(*) from callback_deliveries where subject_id = ? and status = 'delivered'", subject) == 1);
    assertThat(received).hasSize(1);
    assertThat(TestDatabase.count("select attempts from callback_deliveries where subject_id = ?", subject)).isEqualTo(2);
  }
}
