package io.planperfect.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A job's callback_url (issue 19 item 8): checked by the fetcher's rules at intake on every intake route,
 * owed by the transaction that ends the job (completed, failed, cancelled), posted after it by the node's
 * delivery loop to a real receiver on 127.0.0.1 (allowed by PLANPERFECT_FETCH_ALLOW, as an operator
 * would), signed as batch callbacks are, retried with backoff, and shown at /api/v1/jobs/{id}/callbacks.
 */
class JobCallbacksTest {
  private static final String SECRET = "test-webhook-secret-0123456789";
  private static final PipelineDefinition WORK = new PipelineDefinition("work", "content", List.of("work"),
      List.of(new StageDefinition("research", context -> {
        String kind = context.jobPayload().path("kind").asText();
        if (kind.equals("broken")) {
          throw new PermanentStageFailure("this job cannot be done");
        }
        if (kind.equals("held")) {
          return StageOutcome.retryLater(Duration.ofMinutes(10), "held for the test");
        }
        return StageOutcome.completed(Json.object().put("article", "done"));
      })));

  record Received(String body, String timestamp, String signature) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private HttpServer receiver;
  private PlanPerfectNode node;
  private Http anon;

  @BeforeEach
  void start() throws IOException {
    TestDatabase.clean();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new Received(new String(body, StandardCharsets.UTF_8),
          exchange.getRequestHeaders().getFirst("X-PlanPerfect-Timestamp"),
          exchange.getRequestHeaders().getFirst("X-PlanPerfect-Signature")));
      Integer status = answers.poll();
      exchange.sendResponseHeaders(status == null ? 200 : status, -1);
      exchange.close();
    });
    receiver.start();
    node = TestNode.start(new PipelineRegistry(List.of(WORK)), Map.of(
        "PLANPERFECT_FETCH_ALLOW", "127.0.0.1",
        "PLANPERFECT_WEBHOOK_SECRET", SECRET,
        "PLANPERFECT_CALLBACK_MAX_ATTEMPTS", "4",
        "PLANPERFECT_CALLBACK_BACKOFF_SECONDS", "0.05",
        "PLANPERFECT_CALLBACK_BACKOFF_MAX_SECONDS", "0.2",
        "PLANPERFECT_CALLBACK_POLL_MILLIS", "50"));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
    receiver.stop(0);
  }

  private String hook() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private UUID submit(String kind) {
    Http.Response response = anon.post("/api/v1/jobs", "{\"job_type\": \"work\", \"callback_url\": \"" + hook()
        + "\", \"payload\": {\"kind\": \"" + kind + "\"}}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().path("job_id").asText());
  }

  private JsonNode delivery(UUID job) {
    return anon.get("/api/v1/jobs/" + job + "/callbacks").json().path("deliveries").path(0);
  }

  private JsonNode awaitDelivery(UUID job, String status) {
    await().atMost(Duration.ofSeconds(20)).until(() -> delivery(job).path("status").asText().equals(status));
    return delivery(job);
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_completed_job_is_posted_its_summary_once_with_a_signature_that_verifies() throws Exception {
    UUID job = submit("ok");

    JsonNode delivery = awaitDelivery(job, "delivered");
    assertThat(delivery.path("kind").asText()).isEqualTo("webhook");
    assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
    assertThat(received).hasSize(1);
    Received request = received.get(0);
    assertThat(request.signature()).isEqualTo(hmac(request.timestamp() + "." + request.body()));
    JsonNode summary = Json.read(request.body());
    assertThat(summary.path("event").asText()).isEqualTo("job_completed");
    assertThat(summary.path("job_id").asText()).isEqualTo(job.toString());
    assertThat(summary.path("status").asText()).isEqualTo("completed");
    assertThat(summary.path("pipeline").asText()).isEqualTo("work");
    assertThat(summary.path("result_keys").toString()).contains("article");
    assertThat(summary.path("links").path("job").asText()).isEqualTo("/api/v1/jobs/" + job);
  }

  @Test
  void a_receiver_failing_twice_is_tried_again_and_the_job_is_delivered_once() {
    answers.add(500);
    answers.add(503);
    UUID job = submit("ok");

    JsonNode delivery = awaitDelivery(job, "delivered");
    assertThat(received).hasSize(3);
    assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
    assertThat(delivery.path("last_status").asInt()).isEqualTo(200);
    assertThat(received.stream().map(Received::body).distinct()).as("every attempt sends the same body").hasSize(1);
    assertThat(TestDatabase.count("select count(*) from callback_deliveries where subject_id = ?", job)).isEqualTo(1);
  }

  @Test
  void a_failed_job_is_called_back_with_status_failed_and_its_error() {
    UUID job = submit("broken");

    awaitDelivery(job, "delivered");
    JsonNode summary = Json.read(received.get(0).body());
    assertThat(summary.path("event").asText()).isEqualTo("job_failed");
    assertThat(summary.path("status").asText()).isEqualTo("failed");
    assertThat(summary.path("error").toString()).contains("this job cannot be done");
  }

  @Test
  void a_cancelled_job_is_called_back_with_status_cancelled() {
    UUID job = submit("held");
    await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.count(
        "select count(*) from job_events where job_id = ? and event_type = 'waiting'", job) >= 1);
    assertThat(delivery(job).isMissingNode()).as("nothing is owed before the job ends").isTrue();

    assertThat(anon.post("/api/v1/jobs/" + job + "/cancel", "{}").status()).isEqualTo(200);

    awaitDelivery(job, "delivered");
    assertThat(Json.read(received.get(0).body()).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void a_callback_url_the_fetcher_refuses_is_a_400_naming_the_field_on_every_intake_route_and_stores_nothing() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.1/hook")) {
      for (String path : List.of("/api/v1/jobs", "/functions/v1/content-intake")) {
        Http.Response response = anon.post(path,
            "{\"job_type\": \"work\", \"callback_url\": \"" + url + "\", \"payload\": {\"kind\": \"ok\"}}");
        assertThat(response.status()).as(path + " " + url + ": " + response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asText()).isEqualTo("callback_url");
        assertThat(response.json().path("message").asText()).contains("rule");
      }
      Http.Response row = anon.post("/api/v1/batches",
          "[{\"job_type\": \"work\", \"callback_url\": \"" + url + "\", \"payload\": {}}]");
      assertThat(row.status()).as(row.body()).isEqualTo(400);
      assertThat(row.json().path("field").asText()).isEqualTo("rows[1].callback_url");
    }
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from callback_deliveries")).isZero();
  }

  @Test
  void a_job_without_callback_url_owes_no_delivery() {
    Http.Response response = anon.post("/api/v1/jobs", "{\"job_type\": \"work\", \"payload\": {\"kind\": \"ok\"}}");
    UUID job = UUID.fromString(response.json().path("job_id").asText());

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    assertThat(TestDatabase.count("select count(*) from callback_deliveries")).isZero();
    assertThat(anon.get("/api/v1/jobs/" + job + "/callbacks").json().path("deliveries")).isEmpty();
  }

  @Test
  void a_receiver_that_always_fails_leaves_the_jobs_delivery_failed_after_the_last_attempt() {
    for (int i = 0; i < 10; i++) {
      answers.add(502);
    }
    UUID job = submit("ok");

    JsonNode delivery = awaitDelivery(job, "failed");
    assertThat(received).hasSize(4);
    assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
    assertThat(delivery.path("last_status").asInt()).isEqualTo(502);
    assertThat(delivery.path("last_error").asText()).contains("HTTP 502", "attempt 4 of 4");
  }

  @Test
  void a_job_that_ends_again_after_its_dead_letter_is_replayed_is_called_back_again() {
    UUID job = submit("broken");
    awaitDelivery(job, "delivered");
    long letter = TestDatabase.count("select id from dead_letters where job_id = ?", job);

    Http service = new Http(node.port(), TestNode.SERVICE_KEY);
    assertThat(service.post("/api/v1/dead-letters/" + letter + "/replay", "{}").status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
    assertThat(Json.read(received.get(1).body()).path("status").asText()).isEqualTo("failed");
    assertThat(TestDatabase.count("select count(*) from callback_deliveries where subject_id = ?", job)).isEqualTo(1);
  }

  @Test
  void a_batch_rows_callback_url_calls_back_that_job() {
    Http.Response response = anon.post("/api/v1/batches", "[{\"job_type\": \"work\", \"callback_url\": \"" + hook()
        + "\", \"payload\": {\"kind\": \"ok\"}}, {\"job_type\": \"work\", \"payload\": {\"kind\": \"ok\"}}]");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    UUID first = UUID.fromString(response.json().path("job_ids").path(0).asText());

    awaitDelivery(first, "delivered");
    assertThat(Json.read(received.get(0).body()).path("job_id").asText()).isEqualTo(first.toString());
    assertThat(TestDatabase.count("select count(*) from callback_deliveries")).isEqualTo(1);
  }
}
