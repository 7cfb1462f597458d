package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Intake's optional scheduled_at: a future time stores the job "scheduled" with no message; bad values are 400. */
class ScheduledIntakeTest {
  private static PlanPerfectNode node;
  private static Http anon;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  static String body(String scheduledAt) {
    return """
        {"job_type": "article", "scheduled_at": %s,
         "payload": {"title": "Later", "keywords": ["later"], "word_count": 300}}""".formatted(scheduledAt);
  }

  private static Instant tomorrow() {
    return Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
  }

  private static UUID submit(Instant at) {
    Http.Response response = anon.post("/functions/v1/content-intake", body("\"" + at + "\""));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().get("job_id").asText());
  }

  @Test
  void intake_with_a_future_scheduled_at_answers_scheduled_and_sends_no_message() {
    Instant at = tomorrow();

    Http.Response response = anon.post("/functions/v1/content-intake", body("\"" + at + "\""));

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().get("status").asText()).isEqualTo("scheduled");
    assertThat(response.json().get("stage").asText()).isEqualTo("research");
    assertThat(Instant.parse(response.json().get("scheduled_at").asText())).isEqualTo(at);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_stages where status = 'queued'")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'scheduled'")).isEqualTo(1);
  }

  @Test
  void the_api_v1_jobs_route_schedules_a_job_the_same_way() {
    Http.Response response = anon.post("/api/v1/jobs", body("\"" + tomorrow() + "\""));

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().get("status").asText()).isEqualTo("scheduled");
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void the_status_poll_shows_a_scheduled_job_with_its_scheduled_at() {
    Instant at = tomorrow();
    UUID job = submit(at);

    JsonNode row = anon.get("/rest/v1/content_jobs?id=eq." + job).json().get(0);

    assertThat(row.get("status").asText()).isEqualTo("scheduled");
    assertThat(OffsetDateTime.parse(row.get("scheduled_at").asText()).toInstant()).isEqualTo(at);
    assertThat(anon.get("/rest/v1/content_jobs?status=eq.scheduled").json()).hasSize(1);
  }

  @Test
  void the_job_read_shows_a_scheduled_job_with_its_scheduled_at_and_pending_stages() {
    UUID job = submit(tomorrow());

    JsonNode read = anon.get("/api/v1/jobs/" + job).json();

    assertThat(read.get("status").asText()).isEqualTo("scheduled");
    assertThat(read.get("scheduled_at").isNull()).isFalse();
    assertThat(read.get("stages").findValuesAsText("status")).containsOnly("pending");
    assertThat(read.get("progress").get("stages_completed").asInt()).isZero();
  }

  @Test
  void intake_with_a_past_scheduled_at_queues_the_job_at_once() {
    Instant at = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);

    Http.Response response = anon.post("/functions/v1/content-intake", body("\"" + at + "\""));

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().get("status").asText()).isEqualTo("queued");
    UUID job = UUID.fromString(response.json().get("job_id").asText());
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'queued'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'scheduled'")).isZero();
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and scheduled_at = ?::timestamptz",
        job, at.toString())).isEqualTo(1);
  }

  @ParameterizedTest(name = "scheduled_at {0}")
  @ValueSource(strings = {"\"tomorrow\"", "\"2026-11-23T09:00:00\"", "\"2026-11-23\"", "\"2026-13-40T09:00:00Z\"",
      "\"\"", "1795424400", "true", "{\"at\": \"2026-11-23T09:00:00Z\"}", "\"2999-01-01T00:00:00Z\"",
      "\"+999999999-12-31T23:59:59Z\"", "\"1969-12-31T23:59:59Z\"", "\"-5000-01-01T00:00:00Z\""})
  void a_bad_scheduled_at_is_refused_with_400_naming_the_field_and_stores_nothing(String value) {
    Http.Response response = anon.post("/functions/v1/content-intake", body(value));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
    assertThat(response.json().get("field").asText()).isEqualTo("scheduled_at");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_events")).isZero();
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void a_scheduled_at_more_than_a_year_ahead_is_refused() {
    Instant tooFar = Instant.now().plus(Duration.ofDays(366));

    Http.Response response = anon.post("/functions/v1/content-intake", body("\"" + tooFar + "\""));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("scheduled_at");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }
}
