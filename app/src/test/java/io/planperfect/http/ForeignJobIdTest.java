package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S7: ids carry 122 random bits, nearby and random ids disclose nothing, and a route asked for an id
 * that exists but is not its kind (a batch id where a job is wanted, a job id where a page or a batch
 * is) answers exactly as for an id that does not exist.
 */
class ForeignJobIdTest {
  private static final String JOB = "{\"job_type\": \"article\", \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]}}";
  private static PlanPerfectNode node;
  private static Http anon;
  private static Probe probe;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        Map.of("PLANPERFECT_STAGE_CONCURRENCY", "1", "PLANPERFECT_POLL_MILLIS", "60000"));
    anon = new Http(node.port(), TestNode.ANON_KEY);
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

  @Test
  void job_ids_are_random_version_4_uuids() {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      UUID id = UUID.fromString(anon.post("/api/v1/jobs", JOB).json().path("job_id").asText());
      assertThat(id.version()).as(id.toString()).isEqualTo(4);
      assertThat(id.variant()).isEqualTo(2);
      ids.add(id);
    }
    assertThat(ids).hasSize(50);
  }

  @Test
  void random_and_neighbouring_ids_disclose_nothing_and_answer_alike() {
    UUID real = UUID.fromString(anon.post("/api/v1/jobs", JOB).json().path("job_id").asText());
    List<UUID> probes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      probes.add(UUID.randomUUID());
    }
    BigInteger base = new BigInteger(real.toString().replace("-", ""), 16);
    for (int delta = -250; delta <= 250; delta++) {
      if (delta != 0) {
        probes.add(uuid(base.add(BigInteger.valueOf(delta))));
      }
    }
    Set<String> answers = new HashSet<>();
    int disclosures = 0;
    for (UUID id : probes) {
      Probe.Answer answer = probe.send("GET", "/api/v1/jobs/" + id, RoutePaths.bearer(TestNode.ANON_KEY), (String) null);
      disclosures += answer.status() == 404 ? 0 : 1;
      answers.add(answer.status() + " " + answer.body().replace(id.toString(), "<id>"));
    }
    System.out.printf("S7 probes=%d disclosures=%d distinct_answers=%d%n", probes.size(), disclosures, answers.size());
    assertThat(disclosures).isZero();
    assertThat(answers).hasSize(1);
  }

  @Test
  void every_route_answers_a_foreign_id_as_it_answers_an_unknown_one() {
    UUID job = UUID.fromString(anon.post("/api/v1/jobs", JOB).json().path("job_id").asText());
    UUID batch = UUID.fromString(anon.post("/api/v1/batches", "[" + JOB + "]").json().path("batch_id").asText());
    int compared = 0;
    for (Route route : node.routes()) {
      if (!route.method().name().equals("GET") || !route.path().contains("{id}") || route.path().endsWith("/stream")) {
        continue;
      }
      for (UUID foreign : List.of(job, batch)) {
        Probe.Answer known = get(route, foreign, TestNode.SERVICE_KEY);
        if (known.status() / 100 == 2) {
          continue;
        }
        UUID unknown = UUID.randomUUID();
        for (String key : List.of(TestNode.ANON_KEY, TestNode.SERVICE_KEY)) {
          Probe.Answer a = get(route, foreign, key);
          Probe.Answer b = get(route, unknown, key);

          assertThat(a.status() + " " + a.body().replace(foreign.toString(), "<id>")).as(route.key() + " foreign vs unknown")
              .isEqualTo(b.status() + " " + b.body().replace(unknown.toString(), "<id>"));
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(8);
  }

  private static Probe.Answer get(Route route, UUID id, String key) {
    return probe.send("GET", route.path().replace("{id}", id.toString()), RoutePaths.bearer(key), (String) null);
  }

  private static UUID uuid(BigInteger value) {
    String hex = String.format("%032x", value);
    return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20));
  }
}
