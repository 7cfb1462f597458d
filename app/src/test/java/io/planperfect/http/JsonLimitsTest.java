package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S9: the parser's limits, no default typing, CORS closed, error bodies without stack traces. */
class JsonLimitsTest {
  private static final String INTAKE = "/api/v1/jobs";
  private static PlanPerfectNode node;
  private static Probe probe;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
    probe = new Probe(node.port());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private static Probe.Answer intake(String body) {
    return probe.send("POST", INTAKE, Map.of("Authorization", "Bearer " + TestNode.ANON_KEY,
        "Content-Type", "application/json"), body);
  }

  private static String job(String payloadExtra) {
    return "{\"job_type\": \"article\", \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]" + payloadExtra + "}}";
  }

  private static void assertRefusedAsJson(Probe.Answer answer, int... statuses) {
    assertThat(answer.status()).as(answer.toString()).isIn(java.util.Arrays.stream(statuses).boxed().toArray());
    assertThat(answer.isJson()).as(answer.toString()).isTrue();
    assertThat(answer.body()).doesNotContain("\tat ", "Exception", "org.postgresql", "jackson");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void the_mapper_keeps_its_tightened_limits_and_strict_features() {
    var constraints = Json.MAPPER.getFactory().streamReadConstraints();
    assertThat(constraints.getMaxNestingDepth()).isEqualTo(Json.MAX_NESTING_DEPTH).isLessThanOrEqualTo(64);
    assertThat(constraints.getMaxNumberLength()).isLessThanOrEqualTo(64);
    assertThat(constraints.getMaxStringLength()).isLessThanOrEqualTo(1_000_000);
    assertThat(Json.MAPPER.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())).isTrue();
    assertThat(Json.MAPPER.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
    assertThat(Json.MAPPER.isEnabled(MapperFeature.USE_ANNOTATIONS)).isTrue();
  }

  @Test
  void default_typing_is_off_so_a_class_name_in_the_body_is_only_data() {
    assertThat(Json.MAPPER.getDeserializationConfig().getDefaultTyper(Json.MAPPER.constructType(Object.class))).isNull();

    Probe.Answer answer = intake("{\"@class\": \"java.net.URL\", \"job_type\": [\"java.net.URL\", \"http://127.0.0.1:1/\"],"
        + " \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]}}");

    assertRefusedAsJson(answer, 400);
  }

  @Test
  void a_document_nested_deeper_than_the_limit_is_refused_with_400() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);

    assertRefusedAsJson(intake(job(", \"deep\": " + deep)), 400);
    assertRefusedAsJson(intake(job(", \"deep\": " + "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1))), 400);
  }

  @Test
  void a_number_of_a_million_digits_is_refused() {
    assertRefusedAsJson(intake(job(", \"word_count\": " + "9".repeat(1_000_000))), 400, 413);
    assertRefusedAsJson(intake(job(", \"word_count\": " + "9".repeat(Json.MAX_NUMBER_LENGTH + 1))), 400);
  }

  @Test
  void a_body_beyond_the_size_limit_is_refused_with_413_unread() {
    assertRefusedAsJson(intake(job(", \"big\": \"" + "x".repeat(JsonBody.MAX_BYTES) + "\"")), 413);
    assertRefusedAsJson(intake(job(", \"big\": \"" + "x".repeat(50 * 1024 * 1024) + "\"")), 413);
  }

  @Test
  void cors_answers_nothing_to_a_foreign_origin() {
    Probe.Answer get = probe.send("GET", INTAKE, Map.of("Origin", "https://evil.example",
        "Authorization", "Bearer " + TestNode.ANON_KEY), (String) null);
    Probe.Answer preflight = probe.send("OPTIONS", INTAKE, Map.of("Origin", "https://evil.example",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type"), (String) null);

    for (Probe.Answer answer : List.of(get, preflight)) {
      assertThat(answer.headers().map().keySet()).as(answer.toString())
          .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    }
    assertThat(preflight.status()).as(preflight.toString()).isGreaterThanOrEqualTo(400);
  }

  @Test
  void an_error_answer_names_no_internals() {
    Probe.Answer answer = probe.send("GET", "/api/v1/jobs/" + "%00", Map.of("Authorization", "Bearer " + TestNode.SERVICE_KEY),
        (String) null);

    assertRefusedAsJson(answer, 400, 404);
    assertThat(answer.json().fieldNames()).toIterable().isSubsetOf("error", "message", "field");
  }
}
