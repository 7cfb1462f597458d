package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.dispatch.StageLimits;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import io.planperfect.worker.StageFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as an operator runs them: {@code io.planperfect.cli.Main} in its own JVM, with the
 * environment and arguments the README shows, against the test database.
 */
@Tag("slow")
class CommandsTest {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void migrate_builds_the_schema_in_an_empty_database_and_says_where() throws Exception {
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("drop database if exists cli_migrate_test");
      h.execute("create database cli_migrate_test");
    });
    String url = TestDatabase.address().jdbcUrl().replaceFirst("/postgres(\\?|$)", "/cli_migrate_test$1");

    Finished migrate = run(Map.of("PLANPERFECT_DB_URL", url), "migrate");

    assertThat(migrate.exit()).as(migrate.output()).isZero();
    assertThat(migrate.output()).contains("Migrations applied to").contains("cli_migrate_test");
    Finished stages = run(Map.of("PLANPERFECT_DB_URL", url, "PATH", "/nonexistent"), "psql", "-c",
        "select count(*) as stage_rows from content_stage_config");
    // content 6, schema 4, pageperfect 6, generation 7
    assertThat(stages.output()).contains("stage_rows").contains("23");
  }

  @Test
  void psql_without_a_system_psql_runs_the_statement_with_the_built_in_runner() throws Exception {
    Finished psql = run(Map.of("PATH", "/nonexistent"), "psql", "-c",
        "select stage from content_stage_config where queue = 'schema' order by stage");

    assertThat(psql.exit()).as(psql.output()).isZero();
    assertThat(psql.output()).contains("generate").contains("research").contains("validate").doesNotContain("outline");
  }

  @Test
  void psql_reports_a_failing_statement_and_exits_non_zero() throws Exception {
    Finished psql = run(Map.of("PATH", "/nonexistent"), "psql", "-c", "select * from no_such_table");

    assertThat(psql.exit()).isNotZero();
    assertThat(psql.output()).contains("no_such_table");
  }

  @Test
  void a_worker_without_a_database_says_what_to_set_and_exits_1() throws Exception {
    Map<String, String> noDatabase = new HashMap<>();
    noDatabase.put("PLANPERFECT_DB_URL", null);

    Finished worker = run(noDatabase, "worker", "--stages", "research", "--data-dir", dataDir.toString());

    assertThat(worker.exit()).isEqualTo(1);
    assertThat(worker.output()).contains("error: no database: set PLANPERFECT_DB_URL");
  }

  @Test
  void a_worker_for_an_unknown_stage_names_it_and_exits_2() throws Exception {
    Finished worker = run(Map.of(), "worker", "--stages", "research,reserch");

    assertThat(worker.exit()).isEqualTo(2);
    assertThat(worker.output()).contains("--stages: unknown reserch").contains("known: ").contains("outline");
  }

  @Test
  void a_worker_works_only_its_stages_and_exits_0_on_sigterm() throws Exception {
    // a node that takes the intake and works nothing, so only the worker can run research
    StageFilter nothing = new StageFilter(Set.of("none"), Set.of());
    try (PlanPerfectNode intakeOnly = PlanPerfectNode.start(TestNode.settings(), StandardPipelines.all(),
        new NodeOptions(nothing, true, StageLimits.none()))) {
      Process worker = start(Map.of(), "worker", "--stages", "research");
      StringBuilder output = new StringBuilder();
      CompletableFuture<Void> exited = readAll(worker, output);
      try {
        await().atMost(COMMAND_TIMEOUT).until(() -> textOf(output).contains("PlanPerfect worker for queues all stages [research]"));
        Http http = new Http(intakeOnly.port(), TestNode.ANON_KEY);
        assertThat(http.post("/functions/v1/content-intake", """
            {"job_type": "article", "payload": {"title": "Worked by the worker", "keywords": ["cli"], "word_count": 150}}""")
            .status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() ->
            TestDatabase.count("select count(*) from job_stages where stage = 'research' and status = 'completed'") == 1);
        // why: a deliberate gap in which the worker, had it taken outline, would have claimed it
        Thread.sleep(1_000);
        assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'outline' and status = 'queued'"))
            .as("outline is not the worker's").isEqualTo(1);

        // SIGTERM through the handle: Process.destroy() would also close the output this test still reads
        worker.toHandle().destroy();
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        exited.get(10, TimeUnit.SECONDS);
        assertThat(worker.exitValue()).as(output.toString()).isZero();
        assertThat(output.toString()).contains("PlanPerfect stopped.");
      } finally {
        worker.destroyForcibly();
      }
    }
  }

  private record Finished(int exit, String output) {}

  private Finished run(Map<String, String> env, String... args) throws Exception {
    Process process = start(env, args);
    StringBuilder output = new StringBuilder();
    CompletableFuture<Void> exited = readAll(process, output);
    if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("command did not end within " + COMMAND_TIMEOUT + ": " + output);
    }
    exited.get(10, TimeUnit.SECONDS);
    return new Finished(process.exitValue(), output.toString());
  }

  /** Main in a child JVM, working in the test's temp dir, with the test database unless env says otherwise (null removes). */
  private Process start(Map<String, String> env, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true);
    var address = TestDatabase.address();
    Map<String, String> environment = builder.environment();
    environment.putAll(Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_SERVICE_KEY", TestNode.SERVICE_KEY,
        "PLANPERFECT_ANON_KEY", TestNode.ANON_KEY,
        "PLANPERFECT_POLL_MILLIS", "200",
        "PLANPERFECT_ALLOW_UNSAFE_DURABILITY", "true"));
    env.forEach((name, value) -> {
      if (value == null) {
        environment.remove(name);
      } else {
        environment.put(name, value);
      }
    });
    return builder.start();
  }

  /** What was read so far, taken under the lock the reader appends under (it appends while the test polls). */
  private static String textOf(StringBuilder output) {
    synchronized (output) {
      return output.toString();
    }
  }

  private static CompletableFuture<Void> readAll(Process process, StringBuilder output) {
    return CompletableFuture.runAsync(() -> {
      try (var in = process.getInputStream()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          synchronized (output) {
            output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
