package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's server commands that need no job to run, in their own JVM against a real node: the key and
 * where it comes from, the server's errors as one line, stages, dispatch. Each run is a JVM (about two
 * seconds here): those with several runs are tagged slow.
 */
class ServerCommandsTest {
  private static PlanPerfectNode node;
  private static CliProcess cli;

  @TempDir static Path workDir;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(CliPipelines.registry());
    cli = new CliProcess(node.port(), TestNode.SERVICE_KEY, workDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void a_bad_key_is_one_line_naming_the_servers_refusal_and_exit_1() throws Exception {
    CliProcess.Finished jobs = cli.run("jobs", "--key", "not-a-key");

    assertThat(jobs.exit()).as(jobs.toString()).isEqualTo(1);
    assertThat(jobs.out()).isEmpty();
    assertThat(jobs.err().strip()).isEqualTo(
        "error: a valid API key is required (Authorization: Bearer <key>) [HTTP 401 unauthorized]");
  }

  @Test
  void a_refused_field_is_named_with_the_servers_message_and_exit_1() throws Exception {
    CliProcess.Finished submit = cli.run("submit", "schema", "--keywords", "no title");

    assertThat(submit.exit()).as(submit.toString()).isEqualTo(1);
    assertThat(submit.err().strip()).startsWith("error: ").contains("(field: payload.title) [HTTP 400 invalid_request]")
        .doesNotContain("\n");
    assertThat(TestDatabase.count("select count(*) from jobs where pipeline = 'schema'")).isZero();
  }

  @Test
  void submit_takes_the_body_of_a_json_file_with_flags_on_top_and_prints_the_id() throws Exception {
    Path job = Files.writeString(workDir.resolve("job.json"),
        "{\"job_type\": \"work\", \"priority\": \"LOW\", \"payload\": {\"mode\": \"ok\", \"title\": \"From a file\"}}");

    CliProcess.Finished submit = cli.run("submit", "--file", job.toString(), "--priority", "HIGH", "-p", "extra:=3",
        "-p", "metadata.source=cli");

    assertThat(submit.exit()).as(submit.toString()).isZero();
    String id = submit.out().strip();
    JsonNode stored = new Http(node.port(), TestNode.SERVICE_KEY).get("/api/v1/jobs/" + id).json();
    assertThat(stored.path("priority").asInt()).isEqualTo(10);
    assertThat(stored.path("payload").path("title").asText()).isEqualTo("From a file");
    assertThat(stored.path("payload").path("extra").asInt()).isEqualTo(3);
    assertThat(stored.path("payload").path("metadata").path("source").asText()).isEqualTo("cli");
  }

  @Test
  @Tag("slow")
  void without_a_key_the_service_key_in_the_data_dirs_key_file_is_used() throws Exception {
    Path dataDir = Files.createDirectories(workDir.resolve("data"));
    Files.writeString(dataDir.resolve("keys.properties"), "service_key=" + TestNode.SERVICE_KEY + "\nanon_key=x\n");
    Map<String, String> noKey = new HashMap<>();
    noKey.put("PLANPERFECT_KEY", null);

    CliProcess.Finished stages = cli.run(noKey, "stages", "--json");
    CliProcess.Finished elsewhere = cli.run(noKey, "stages", "--data-dir", workDir.resolve("nowhere").toString());

    assertThat(stages.exit()).as(stages.toString()).isZero();
    assertThat(Json.read(stages.out()).isArray()).isTrue();
    assertThat(elsewhere.exit()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("error: no API key: pass --key, set PLANPERFECT_KEY");
  }

  @Test
  void a_server_that_is_not_there_is_named_with_what_to_check() throws Exception {
    CliProcess.Finished jobs = cli.run("jobs", "--url", "http://127.0.0.1:1");

    assertThat(jobs.exit()).isEqualTo(1);
    assertThat(jobs.err()).startsWith("error: cannot reach PlanPerfect at http://127.0.0.1:1")
        .contains("is './planperfect serve' running there?");
  }

  @Test
  @Tag("slow")
  void stages_shows_every_limit_as_a_table_and_set_changes_one() throws Exception {
    CliProcess.Finished set = cli.run("stages", "set", "research", "--queue", "schema", "--max-concurrency", "7", "--disable");
    CliProcess.Finished table = cli.run("stages");
    CliProcess.Finished json = cli.run("stages", "--json");
    cli.run("stages", "set", "schema/research", "--enable");

    assertThat(set.exit()).as(set.toString()).isZero();
    assertThat(set.out()).contains("stage schema/research updated");
    assertThat(table.out()).contains("QUEUE", "STAGE", "MAX CONC", "READY").containsPattern("schema\\s+research\\s+no\\s+7\\s");
    JsonNode research = stage(Json.read(json.out()), "schema", "research");
    assertThat(research.path("max_concurrency").asInt()).isEqualTo(7);
    assertThat(research.path("enabled").asBoolean()).isFalse();
    assertThat(research.has("backlog")).isTrue();
  }

  @Test
  void stages_set_of_a_name_in_several_queues_asks_which() throws Exception {
    CliProcess.Finished set = cli.run("stages", "set", "research", "--max-concurrency", "3");

    assertThat(set.exit()).isEqualTo(1);
    assertThat(set.err().strip()).isEqualTo(
        "error: stage research is in queues content, schema: name one with --queue or QUEUE/STAGE");
  }

  @Test
  void stages_set_passes_the_servers_refusal_of_a_value_on() throws Exception {
    CliProcess.Finished set = cli.run("stages", "set", "schema/generate", "--qa-policy", "sometimes");

    assertThat(set.exit()).isEqualTo(1);
    assertThat(set.err()).contains("qa_policy must be one of").contains("(field: qa_policy) [HTTP 400 invalid_request]");
  }

  @Test
  @Tag("slow")
  void dispatch_prints_the_seeds_answer_to_one_cycle() throws Exception {
    CliProcess.Finished json = cli.run("dispatch", "--json");
    CliProcess.Finished pretty = cli.run("dispatch");

    assertThat(json.exit()).as(json.toString()).isZero();
    JsonNode report = Json.read(json.out());
    assertThat(report.has("message")).isTrue();
    assertThat(report.path("dispatches").isArray()).isTrue();
    assertThat(report.path("errors").isArray()).isTrue();
    assertThat(report.has("duration_ms")).isTrue();
    assertThat(pretty.out()).contains("\"dispatches\" :");
  }

  private static JsonNode stage(JsonNode stages, String queue, String stage) {
    for (JsonNode s : stages) {
      if (s.path("queue").asText().equals(queue) && s.path("stage").asText().equals(stage)) {
        return s;
      }
    }
    throw new AssertionError("no stage " + queue + "/" + stage + " in " + stages);
  }
}
