package io.planperfect.http;

import io.planperfect.pipeline.StageOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.json.Json;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue operations over HTTP with the service key, on a queue no worker consumes. */
class QueueApiTest {
  private static PlanPerfectNode node;
  private static Http service;

  @BeforeAll
  static void start() {
    // why: workers of this node consume only "unused", so the test queue's messages stay put.
    node = TestNode.start(new PipelineRegistry(List.of(new PipelineDefinition("unused", "unused", List.of("unused"),
        List.of(new StageDefinition("only", context -> StageOutcome.completed(Json.object())))))));
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    service.post("/api/v1/queues", "{\"queue_name\": \"jobs\"}");
  }

  private JsonNode send(String body) {
    Http.Response response = service.post("/api/v1/queues/jobs/messages", body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("msg_ids");
  }

  private JsonNode read(String body) {
    Http.Response response = service.post("/api/v1/queues/jobs/read", body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  @Test
  void queues_are_created_listed_and_dropped() {
    assertThat(service.post("/api/v1/queues", "{\"queue_name\": \"jobs\"}").json().get("created").asBoolean()).isFalse();
    assertThat(service.get("/api/v1/queues").json()).extracting(q -> q.get("queue_name").asText()).contains("jobs", "content");

    assertThat(new Http(node.port(), TestNode.SERVICE_KEY).get("/api/v1/queues/jobs/metrics").status()).isEqualTo(200);
    assertThat(deleteQueue("jobs")).isEqualTo(200);
    assertThat(deleteQueue("jobs")).isEqualTo(404);
    assertThat(service.get("/api/v1/queues/jobs/metrics").status()).isEqualTo(404);
  }

  private int deleteQueue(String name) {
    try {
      var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port() + "/api/v1/queues/" + name))
          .header("Authorization", "Bearer " + TestNode.SERVICE_KEY).DELETE().build();
      return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_batch_sent_and_read_comes_back_highest_priority_first_and_no_more_than_qty() {
    send("""
        {"messages": [{"stage": "a", "payload": {"n": 1}},
                      {"stage": "a", "payload": {"n": 2}, "options": {"priority": 9}},
                      {"stage": "a", "payload": {"n": 3}}]}""");

    JsonNode first = read("{\"stage\": \"a\", \"qty\": 2, \"vt\": 30}");

    assertThat(first).hasSize(2);
    assertThat(first.get(0).get("message").get("payload").get("n").asInt()).isEqualTo(2);
    assertThat(first.get(1).get("message").get("payload").get("n").asInt()).isEqualTo(1);
    assertThat(first.get(0).get("lease").asText()).hasSize(36);
  }

  @Test
  void a_bare_number_as_options_means_a_delay() {
    send("{\"stage\": \"a\", \"payload\": {}, \"options\": 45}");

    assertThat(read("{\"stage\": \"a\"}")).isEmpty();
    JsonNode stages = service.get("/api/v1/queues/jobs/metrics").json().get("stages");
    assertThat(stages.get(0).get("delayed").asInt()).isEqualTo(1);
  }

  @Test
  void archive_needs_the_lease_and_the_archived_message_stays_queryable() {
    send("{\"stage\": \"a\", \"job_id\": \"6f1c2a4e-1111-4222-8333-944455556666\", \"payload\": {\"x\": 1}}");
    JsonNode message = read("{\"stage\": \"a\"}").get(0);
    long id = message.get("msg_id").asLong();

    Http.Response wrong = service.post("/api/v1/queues/jobs/archive",
        "{\"msg_id\": " + id + ", \"lease\": \"00000000-0000-0000-0000-000000000000\"}");
    Http.Response right = service.post("/api/v1/queues/jobs/archive",
        "{\"msg_id\": " + id + ", \"lease\": \"" + message.get("lease").asText() + "\"}");

    assertThat(wrong.json().get("archived")).isEmpty();
    assertThat(right.json().get("archived").get(0).asLong()).isEqualTo(id);
    JsonNode archived = service.get("/api/v1/queues/jobs/archive?job_id=6f1c2a4e-1111-4222-8333-944455556666").json();
    assertThat(archived).hasSize(1);
    assertThat(archived.get(0).get("archived_at").isNull()).isFalse();
  }

  @Test
  void pop_reads_and_deletes() {
    send("{\"stage\": \"a\", \"payload\": {}}");

    assertThat(service.post("/api/v1/queues/jobs/pop", "{}").json()).hasSize(1);

    assertThat(read("{}")).isEmpty();
    assertThat(service.get("/api/v1/queues/jobs/metrics").json().get("total_messages").asLong()).isEqualTo(1);
  }

  @Test
  void extend_visibility_with_a_lost_lease_is_409() {
    send("{\"stage\": \"a\", \"payload\": {}}");
    JsonNode message = read("{}").get(0);

    Http.Response ok = service.post("/api/v1/queues/jobs/extend-visibility",
        "{\"msg_id\": %d, \"lease\": \"%s\", \"seconds\": 60}".formatted(message.get("msg_id").asLong(), message.get("lease").asText()));
    Http.Response lost = service.post("/api/v1/queues/jobs/extend-visibility",
        "{\"msg_id\": %d, \"lease\": \"%s\", \"seconds\": 60}".formatted(message.get("msg_id").asLong(), java.util.UUID.randomUUID()));

    assertThat(ok.status()).isEqualTo(200);
    assertThat(lost.status()).isEqualTo(409);
    assertThat(lost.json().get("field").asText()).isEqualTo("lease");
  }

  @Test
  void requeue_with_backoff_delays_the_message_and_can_change_its_priority() {
    send("{\"stage\": \"a\", \"payload\": {}}");
    JsonNode message = read("{}").get(0);

    Http.Response response = service.post("/api/v1/queues/jobs/requeue", """
        {"msg_id": %d, "lease": "%s", "baseDelaySeconds": 10, "attempt": 2, "priorityOverride": 5}"""
        .formatted(message.get("msg_id").asLong(), message.get("lease").asText()));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("delay_ms").asLong()).isBetween(32_000L, 48_000L);
    assertThat(TestDatabase.count("select priority from queue_messages where msg_id = ?", message.get("msg_id").asLong())).isEqualTo(5);
    assertThat(read("{}")).isEmpty();
  }

  @Test
  void dead_letter_records_the_reason_error_and_attempts() {
    send("{\"stage\": \"a\", \"payload\": {}}");
    JsonNode message = read("{}").get(0);

    Http.Response response = service.post("/api/v1/queues/jobs/dead-letter", """
        {"msg_id": %d, "lease": "%s", "stage": "a", "reason": "Max retry attempts exceeded",
         "error_details": {"error": "boom"}, "attempt_count": 6}"""
        .formatted(message.get("msg_id").asLong(), message.get("lease").asText()));

    assertThat(response.status()).isEqualTo(201);
    assertThat(TestDatabase.count("select count(*) from dead_letters where queue_name = 'jobs' and attempt_count = 6 "
        + "and failure_reason = 'Max retry attempts exceeded' and error_details->>'error' = 'boom'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void purge_empties_the_queue_and_metrics_count_every_message_ever_sent() {
    send("{\"messages\": [{\"stage\": \"a\"}, {\"stage\": \"b\"}, {\"stage\": \"b\"}]}");

    JsonNode before = service.get("/api/v1/queues/jobs/metrics").json();
    Http.Response purged = service.post("/api/v1/queues/jobs/purge", "");
    JsonNode after = service.get("/api/v1/queues/jobs/metrics").json();

    assertThat(before.get("queue_length").asInt()).isEqualTo(3);
    assertThat(before.get("stages")).extracting(s -> s.get("stage").asText() + "=" + s.get("ready").asInt())
        .containsExactly("a=1", "b=2");
    assertThat(purged.json().get("purged").asInt()).isEqualTo(3);
    assertThat(after.get("queue_length").asInt()).isZero();
    assertThat(after.get("total_messages").asInt()).isEqualTo(3);
  }

  @Test
  void bad_queue_requests_are_4xx_naming_the_field() {
    assertThat(service.post("/api/v1/queues", "{\"queue_name\": \"Bad Name!\"}").json().get("field").asText()).isEqualTo("queue_name");
    assertThat(service.post("/api/v1/queues/jobs/messages", "{\"payload\": {}}").json().get("field").asText()).isEqualTo("stage");
    assertThat(service.post("/api/v1/queues/jobs/messages", "{\"stage\": \"a\", \"options\": {\"priority\": \"x\"}}")
        .json().get("field").asText()).isEqualTo("options.priority");
    assertThat(service.post("/api/v1/queues/jobs/read", "{\"qty\": 0}").json().get("field").asText()).isEqualTo("qty");
    assertThat(service.post("/api/v1/queues/jobs/archive", "{\"msg_id\": \"x\"}").json().get("field").asText()).isEqualTo("msg_id");
    assertThat(service.post("/api/v1/queues/nope/read", "{}").status()).isEqualTo(404);
  }

  @Test
  void the_anon_key_cannot_use_the_queue_api() {
    assertThat(new Http(node.port(), TestNode.ANON_KEY).get("/api/v1/queues").status()).isEqualTo(403);
    assertThat(new Http(node.port(), null).get("/api/v1/queues").status()).isEqualTo(401);
  }
}
