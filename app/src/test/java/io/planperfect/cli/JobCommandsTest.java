package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's job commands in their own JVM against a real node whose jobs run: submit and watch to the
 * end (the exit status says how it ended), a batch to its final counts, and the lists (jobs, status, dlq)
 * as tables and as the server's JSON.
 */
@Tag("slow")
class JobCommandsTest {
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private static PlanPerfectNode node;
  private static CliProcess cli;
  private static Http http;

  @TempDir static Path workDir;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(CliPipelines.registry());
    cli = new CliProcess(node.port(), TestNode.SERVICE_KEY, workDir);
    http = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void submit_with_watch_draws_a_bar_per_stage_and_exits_0_when_the_job_completes() throws Exception {
    CliProcess.Finished submit = cli.run("submit", "schema", "--title", "Tomato seed kit", "--watch");

    assertThat(submit.exit()).as(submit.toString()).isZero();
    String[] lines = submit.out().strip().split("\n");
    assertThat(lines[0]).matches(UUID);
    assertThat(lines[lines.length - 1]).isEqualTo("job " + lines[0] + " completed: 4/4 stages");
    assertThat(submit.err()).contains("research").contains("generate").contains("validate").contains("100%");
    assertThat(status(lines[0])).isEqualTo("completed");
  }

  @Test
  void watch_of_a_job_that_is_dead_lettered_names_the_reason_and_exits_3() throws Exception {
    String id = submitWork("fail");

    CliProcess.Finished watch = cli.run("watch", id);

    assertThat(watch.exit()).as(watch.toString()).isEqualTo(3);
    assertThat(watch.out().strip()).startsWith("job " + id + " failed at stage research: ").contains(CliPipelines.FAILURE);
  }

  @Test
  void watch_with_json_prints_the_streams_events_and_ends_with_the_result() throws Exception {
    String id = submitWork("ok");

    CliProcess.Finished watch = cli.run("watch", id, "--json");

    assertThat(watch.exit()).as(watch.toString()).isZero();
    String[] lines = watch.out().strip().split("\n");
    assertThat(Json.read(lines[0]).path("id").asText()).as("the snapshot").isEqualTo(id);
    assertThat(Json.read(lines[lines.length - 1]).path("status").asText()).isEqualTo("completed");
    assertThat(watch.err()).isEmpty();
  }

  @Test
  void batch_of_a_csv_follows_it_with_one_bar_and_prints_the_final_counts() throws Exception {
    Path csv = Files.writeString(workDir.resolve("jobs.csv"), "mode\nok\nok\nfail\n");

    CliProcess.Finished batch = cli.run("batch", csv.toString(), "--job-type", "work");

    assertThat(batch.exit()).as(batch.toString()).isEqualTo(3);
    assertThat(batch.out()).containsPattern("batch " + UUID + ": 3 jobs submitted")
        .containsPattern("batch " + UUID + " completed_with_failures: 2 completed, 1 failed, 0 cancelled of 3");
    assertThat(batch.err()).contains("batch").contains("3/3");
  }

  @Test
  void jobs_lists_the_newest_first_as_a_table_and_as_the_servers_page() throws Exception {
    String id = submitWork("ok");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("completed"));

    CliProcess.Finished table = cli.run("jobs", "--pipeline", "work", "--status", "completed", "--limit", "1");
    CliProcess.Finished json = cli.run("jobs", "--pipeline", "work", "--status", "completed", "--limit", "1", "--json");

    assertThat(table.exit()).as(table.toString()).isZero();
    assertThat(table.out()).contains("ID", "PIPELINE", "STATUS", "PROGRESS").containsPattern(id + "\\s+work\\s+completed");
    JsonNode page = Json.read(json.out());
    assertThat(page.path("jobs").get(0).path("id").asText()).isEqualTo(id);
    assertThat(page.has("next_cursor")).isTrue();
  }

  @Test
  void status_shows_a_job_with_its_stages_or_the_queues_and_stages() throws Exception {
    String id = submitWork("fail");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("failed"));

    CliProcess.Finished job = cli.run("status", id);
    CliProcess.Finished overview = cli.run("status");
    CliProcess.Finished json = cli.run("status", "--json");

    assertThat(job.exit()).as(job.toString()).isZero();
    assertThat(job.out()).contains("status    failed at research").containsPattern("research\\s+dead_lettered\\s+1/")
        .contains(CliPipelines.FAILURE);
    assertThat(overview.out()).contains("QUEUE", "LENGTH", "MAX CONC").containsPattern("content\\s+research");
    JsonNode both = Json.read(json.out());
    assertThat(both.path("queues").isArray()).isTrue();
    assertThat(both.path("stages").size()).isGreaterThan(1);
  }

  @Test
  void dlq_lists_shows_and_replays_a_dead_letter_and_refuses_a_second_resolution() throws Exception {
    String id = submitWork("fail");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("failed"));

    CliProcess.Finished json = cli.run("dlq", "list", "--pipeline", "work", "--json");
    long letter = letterOf(Json.read(json.out()), id);
    CliProcess.Finished table = cli.run("dlq", "list", "--pipeline", "work");
    CliProcess.Finished show = cli.run("dlq", "show", Long.toString(letter));
    CliProcess.Finished replay = cli.run("dlq", "replay", Long.toString(letter));
    CliProcess.Finished discard = cli.run("dlq", "discard", Long.toString(letter));

    assertThat(table.out()).contains("ID", "REASON").containsPattern(letter + "\\s+work\\s+research\\s+" + id)
        .contains(CliPipelines.FAILURE);
    assertThat(Json.read(show.out()).path("job_id").asText()).isEqualTo(id);
    assertThat(replay.exit()).as(replay.toString()).isZero();
    assertThat(replay.out().strip()).isEqualTo("dead letter " + letter + " replayed");
    assertThat(discard.exit()).isEqualTo(1);
    assertThat(discard.err().strip()).isEqualTo("error: dead letter " + letter + " was already replayed or discarded [HTTP 409 conflict]");
  }

  private static String submitWork(String mode) {
    Http.Response response = http.post("/api/v1/jobs", "{\"job_type\": \"work\", \"payload\": {\"mode\": \"" + mode + "\"}}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().path("job_id").asText();
  }

  private static String status(String id) {
    return http.get("/api/v1/jobs/" + id).json().path("status").asText();
  }

  private static long letterOf(JsonNode letters, String jobId) {
    for (JsonNode letter : letters) {
      if (letter.path("job_id").asText().equals(jobId)) {
        return letter.path("id").asLong();
      }
    }
    throw new AssertionError("no dead letter of job " + jobId + " in " + letters);
  }
}
