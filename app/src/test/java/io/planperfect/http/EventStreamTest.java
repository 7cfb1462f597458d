package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.SseReader;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server-Sent Events over the change feed: a job's changes with progress, resumable by Last-Event-ID; every change for the service key. */
class EventStreamTest {
  private final CountDownLatch gate = new CountDownLatch(1);
  private PlanPerfectNode node;
  private PipelineDefinition pipeline;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("fetch", context -> {
          gate.await();
          return StageOutcome.completed(Json.object().put("fetched", true));
        }),
        new StageDefinition("write", context -> StageOutcome.completed(Json.object().put("words", 300))),
        new StageDefinition("check", context -> StageOutcome.completed(Json.object().put("passed", true)))
            .skippedWhen(payload -> payload.path("skipCheck").asBoolean())));
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
  }

  @AfterEach
  void stop() {
    gate.countDown();
    node.close();
  }

  private UUID submit(String payload) {
    return node.intake().submit(new NewJob(pipeline, "article", null,
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(payload), "fetch", 0));
  }

  private SseReader stream(String path, String key, Map<String, String> headers) {
    return SseReader.open(node.port(), path, key, headers);
  }

  @Test
  void a_job_stream_sends_a_snapshot_then_each_change_with_progress_then_the_result_and_ends() {
    UUID job = submit("{\"title\":\"t\"}");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'fetch' and status = 'processing'", job) == 1);

    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !reader.events().isEmpty());
      gate.countDown();
      await().atMost(Duration.ofSeconds(20)).until(reader::ended);

      List<SseReader.Event> events = reader.events();
      assertThat(reader.status()).isEqualTo(200);
      assertThat(events.get(0).name()).isEqualTo("snapshot");
      assertThat(events.get(0).json().path("status").asText()).isEqualTo("processing");
      assertThat(events).extracting(SseReader.Event::name).containsSubsequence(
          "snapshot", "completed", "queued", "processing", "completed", "queued", "processing", "completed",
          "job_completed", "result", "end");
      List<Long> ids = events.stream().filter(e -> e.id() != null && !e.name().equals("result") && !e.name().equals("snapshot"))
          .map(e -> Long.parseLong(e.id())).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      SseReader.Event last = events.stream().filter(e -> e.name().equals("job_completed")).findFirst().orElseThrow();
      assertThat(last.json().path("progress").path("percent").asInt()).isEqualTo(100);
      SseReader.Event result = events.stream().filter(e -> e.name().equals("result")).findFirst().orElseThrow();
      assertThat(result.json().path("status").asText()).isEqualTo("completed");
      assertThat(result.json().path("result").path("passed").asBoolean()).isTrue();
    }
  }

  @Test
  void a_client_that_reconnects_with_its_last_event_id_gets_every_change_it_missed() {
    gate.countDown();
    UUID job = submit("{\"title\":\"t\",\"skipCheck\":true}");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    long fetchCompleted = TestDatabase.count(
        "select seq from job_events where job_id = ? and stage = 'fetch' and event_type = 'completed'", job);

    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY,
        Map.of("Last-Event-ID", Long.toString(fetchCompleted)))) {
      await().atMost(Duration.ofSeconds(10)).until(reader::ended);

      List<String> missed = reader.events().stream()
          .filter(e -> !e.name().equals("snapshot") && !e.name().equals("result") && !e.name().equals("end"))
          .map(e -> e.json().path("stage").asText() + ":" + e.name()).toList();
      assertThat(missed).containsExactlyElementsOf(TestDatabase.jdbi().withHandle(h -> h.createQuery(
              "select coalesce(stage, '') || ':' || event_type from job_events where job_id = :id and seq > :after order by seq")
          .bind("id", job).bind("after", fetchCompleted).mapTo(String.class).list()));
      assertThat(missed).contains("check:skipped", "write:job_completed");
    }
  }

  @Test
  void a_finished_job_with_nothing_missed_gets_its_snapshot_and_the_end() {
    gate.countDown();
    UUID job = submit("{\"title\":\"t\"}");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);

    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(reader::ended);
      assertThat(reader.events()).extracting(SseReader.Event::name).containsExactly("snapshot", "end");
      assertThat(reader.events().get(0).json().path("progress").path("percent").asInt()).isEqualTo(100);
    }
  }

  @Test
  void the_stream_of_every_change_is_for_the_service_key_and_filters_by_stage() {
    try (SseReader anon = stream("/api/v1/stream", TestNode.ANON_KEY, Map.of());
         SseReader writes = stream("/api/v1/stream?stage=write", TestNode.SERVICE_KEY, Map.of());
         SseReader all = stream("/api/v1/stream", TestNode.SERVICE_KEY, Map.of())) {
      assertThat(anon.status()).isEqualTo(403);
      gate.countDown();
      UUID job = submit("{\"title\":\"t\"}");

      await().atMost(Duration.ofSeconds(20)).until(() ->
          all.events().stream().anyMatch(e -> e.name().equals("job_completed") && e.json().path("job_id").asText().equals(job.toString())));
      await().atMost(Duration.ofSeconds(5)).until(() -> writes.events().stream().anyMatch(e -> e.name().equals("completed")));
      assertThat(writes.events()).allSatisfy(e -> assertThat(e.json().path("stage").asText()).isEqualTo("write"));
      assertThat(all.events()).extracting(e -> e.json().path("stage").asText()).contains("fetch", "write", "check");
    }
  }

  @Test
  void bad_stream_requests_are_refused_with_a_json_error() {
    Http http = new Http(node.port(), TestNode.ANON_KEY);
    assertThat(http.get("/api/v1/jobs/" + UUID.randomUUID() + "/stream").status()).isEqualTo(404);
    assertThat(http.get("/api/v1/jobs/not-a-uuid/stream").json().path("field").asText()).isEqualTo("id");
    Http.Response bad = http.get("/api/v1/jobs/" + UUID.randomUUID() + "/stream?last_event_id=soon");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("field").asText()).isEqualTo("Last-Event-ID");
    assertThat(new Http(node.port(), null).get("/api/v1/stream").status()).isEqualTo(401);
  }
}
