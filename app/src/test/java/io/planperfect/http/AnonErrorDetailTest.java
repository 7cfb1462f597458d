package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stage's stored error reaches the anon key as its message and class only; the service key sees it whole. */
class AnonErrorDetailTest {
  private static final String ERROR = """
      {"message": "upstream said no", "class": "java.io.IOException", "attempt": 2,
       "stack": ["io.planperfect.stages.Secret.call(Secret.java:42)"], "cause": "java.net.ConnectException: refused"}""";
  private static PlanPerfectNode node;
  private static Http anon;
  private static Http service;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())), Map.of("PLANPERFECT_POLL_MILLIS", "60000",
        "PLANPERFECT_STAGE_CONCURRENCY", "1"));
    anon = new Http(node.port(), TestNode.ANON_KEY);
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private static UUID failedJob() {
    UUID id = UUID.fromString(anon.post("/api/v1/jobs",
        "{\"job_type\": \"article\", \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]}}").json().path("job_id").asText());
    TestDatabase.jdbi().useHandle(h -> {
      h.createUpdate("update job_stages set last_error = cast(:e as jsonb) where job_id = :id and stage = 'research'")
          .bind("e", ERROR).bind("id", id).execute();
      h.createUpdate("insert into job_events (job_id, pipeline, stage, event_type, message, metadata)"
          + " values (:id, 'content', 'research', 'error', 'Stage research failed', cast(:e as jsonb))")
          .bind("e", ERROR).bind("id", id).execute();
    });
    return id;
  }

  @Test
  void the_anon_key_sees_a_stages_error_as_message_and_class() {
    UUID id = failedJob();

    JsonNode stage = anon.get("/api/v1/jobs/" + id).json().path("stages").get(0);

    assertThat(stage.path("last_error").path("message").asText()).isEqualTo("upstream said no");
    assertThat(stage.path("last_error").path("class").asText()).isEqualTo("java.io.IOException");
    assertThat(stage.path("last_error").size()).isEqualTo(2);
  }

  @Test
  void no_anon_answer_carries_a_stack_frame_or_the_cause() {
    UUID id = failedJob();

    for (String path : List.of("/api/v1/jobs/" + id, "/api/v1/jobs/" + id + "/events", "/api/v1/jobs?limit=5",
        "/rest/v1/content_jobs?id=eq." + id)) {
      String body = anon.get(path).body();
      assertThat(body).as(path).doesNotContain("Secret.java", "ConnectException");
    }
  }

  @Test
  void the_service_key_sees_the_error_whole() {
    UUID id = failedJob();

    JsonNode error = service.get("/api/v1/jobs/" + id).json().path("stages").get(0).path("last_error");

    assertThat(error.path("stack").get(0).asText()).contains("Secret.java:42");
    assertThat(error.path("cause").asText()).contains("ConnectException");
  }
}
