package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad intake is refused with 400 (or 401/413) naming the field, and nothing is stored. */
class IntakeValidationTest {
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

  private static void assertNothingStored() {
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_events")).isZero();
  }

  @ParameterizedTest(name = "{0} -> field {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"payload": {"title": "t", "keywords": ["k"]}}                                          | job_type
      {"job_type": "poem", "payload": {"title": "t", "keywords": ["k"]}}                      | job_type
      {"job_type": 7, "payload": {"title": "t", "keywords": ["k"]}}                           | job_type
      {"job_type": "article"}                                                                  | payload
      {"job_type": "article", "payload": "just text"}                                         | payload
      {"job_type": "article", "payload": {"keywords": ["k"]}}                                 | payload.title
      {"job_type": "article", "payload": {"title": "   ", "keywords": ["k"]}}                 | payload.title
      {"job_type": "article", "payload": {"title": ["t"], "keywords": ["k"]}}                 | payload.title
      {"job_type": "article", "payload": {"title": "t"}}                                      | payload.keywords
      {"job_type": "article", "payload": {"title": "t", "keywords": "k"}}                     | payload.keywords
      {"job_type": "article", "payload": {"title": "t", "keywords": []}}                      | payload.keywords
      {"job_type": "article", "payload": {"title": "t", "keywords": [3]}}                     | payload.keywords
      {"job_type": "article", "payload": {"title": "t", "keywords": ["k"], "word_count": "2000"}} | payload.word_count
      {"job_type": "article", "payload": {"title": "t", "keywords": ["k"], "word_count": 5}}  | payload.word_count
      {"job_type": "article", "payload": {"title": "t", "keywords": ["k"], "word_count": 1.5}} | payload.word_count
      {"job_type": "article", "requester_email": "not-an-email", "payload": {"title": "t", "keywords": ["k"]}} | requester_email
      {"job_type": "article", "requester_email": 42, "payload": {"title": "t", "keywords": ["k"]}} | requester_email
      {"job_type": "article", "initial_stage": "publish", "payload": {"title": "t", "keywords": ["k"]}} | initial_stage
      {"job_type": "article", "priority": "urgent", "payload": {"title": "t", "keywords": ["k"]}} | priority
      {"job_type": "article", "surprise": true, "payload": {"title": "t", "keywords": ["k"]}} | surprise
      {"job_type": "article", "max_attempts": 0, "payload": {"title": "t", "keywords": ["k"]}} | max_attempts
      {"job_type": "article", "retry_delay_seconds": "soon", "payload": {"title": "t", "keywords": ["k"]}} | retry_delay_seconds
      [1, 2, 3]                                                                                | body
      not json at all                                                                          | body
      {"job_type": "article", "job_type": "article", "payload": {"title": "t", "keywords": ["k"]}} | body
      """)
  void invalid_intake_is_refused_with_400_naming_the_field_and_stores_nothing(String body, String field) {
    Http.Response response = anon.post("/functions/v1/content-intake", body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
    assertThat(response.json().get("field").asText()).isEqualTo(field);
    assertNothingStored();
  }

  @Test
  void an_empty_body_is_refused() {
    Http.Response response = anon.post("/functions/v1/content-intake", "");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("body");
    assertNothingStored();
  }

  @Test
  void deeply_nested_json_is_refused_without_a_server_error() {
    String nested = "{\"job_type\":\"article\",\"payload\":{\"title\":\"t\",\"keywords\":[\"k\"],\"x\":"
        + "[".repeat(5000) + "]".repeat(5000) + "}}";

    Http.Response response = anon.post("/functions/v1/content-intake", nested);

    assertThat(response.status()).isEqualTo(400);
    assertNothingStored();
  }

  @Test
  void a_body_over_64_kib_is_refused_with_413() {
    String big = "{\"job_type\":\"article\",\"payload\":{\"title\":\"" + "x".repeat(70_000) + "\",\"keywords\":[\"k\"]}}";

    Http.Response response = anon.post("/functions/v1/content-intake", big);

    assertThat(response.status()).isEqualTo(413);
    assertNothingStored();
  }

  @Test
  void a_missing_or_wrong_key_is_401_and_stores_nothing() {
    String body = ContentIntakeTest.SEED_BODY;

    assertThat(new Http(node.port(), null).post("/functions/v1/content-intake", body).status()).isEqualTo(401);
    assertThat(new Http(node.port(), "wrong").post("/functions/v1/content-intake", body).status()).isEqualTo(401);
    assertThat(new Http(node.port(), TestNode.ANON_KEY + "x").get("/rest/v1/content_jobs").status()).isEqualTo(401);
    assertNothingStored();
  }

  @Test
  void the_service_key_may_submit_too() {
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);

    assertThat(service.post("/functions/v1/content-intake", ContentIntakeTest.SEED_BODY).status()).isEqualTo(201);
  }
}
