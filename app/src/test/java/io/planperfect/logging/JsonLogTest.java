package io.planperfect.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped logback.xml with {@code PLANPERFECT_LOG_FORMAT=json}: one JSON object per line, and a
 * line written while a stage runs carries the run's job_id, pipeline, stage, attempt and node.
 */
class JsonLogTest {
  private static final Logger stageLog = LoggerFactory.getLogger("io.planperfect.stages.JsonLogTestStage");
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(new StageDefinition("only", context -> {
        stageLog.info("the stage says hello");
        return StageOutcome.completed(Json.object());
      })));

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream realOut;

  @BeforeEach
  void jsonLogs() throws JoranException {
    TestDatabase.clean();
    realOut = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    System.setProperty("PLANPERFECT_LOG_FORMAT", "json");
    configure(getClass().getResource("/logback.xml"));
  }

  @AfterEach
  void textLogs() throws JoranException {
    System.clearProperty("PLANPERFECT_LOG_FORMAT");
    System.setOut(realOut);
    configure(getClass().getResource("/logback-test.xml"));
  }

  @Test
  void a_line_written_while_a_stage_runs_is_json_with_the_runs_fields() {
    UUID job;
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(PIPELINE)))) {
      job = node.intake().submit(new NewJob(PIPELINE, "article", null, Json.object(), "only", 0));
      await().atMost(Duration.ofSeconds(20)).until(() -> captured.toString(StandardCharsets.UTF_8).contains("the stage says hello"));
    }

    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    List<JsonNode> entries = lines.stream().map(Json::read).toList();
    assertThat(entries).allSatisfy(entry -> assertThat(entry.has("message") && entry.has("@timestamp")).isTrue());
    JsonNode hello = entries.stream().filter(e -> e.path("message").asText().equals("the stage says hello")).findFirst()
        .orElseThrow();
    assertThat(hello.path("job_id").asText()).isEqualTo(job.toString());
    assertThat(hello.path("pipeline").asText()).isEqualTo("content");
    assertThat(hello.path("stage").asText()).isEqualTo("only");
    assertThat(hello.path("attempt").asText()).isEqualTo("1");
    assertThat(hello.path("node").asText()).contains(":" + ProcessHandle.current().pid() + ":");
    assertThat(hello.path("level").asText()).isEqualTo("INFO");
    JsonNode started = entries.stream().filter(e -> e.path("message").asText().startsWith("node started")).findFirst()
        .orElseThrow();
    assertThat(started.has("job_id")).as("a line outside a stage run has no job").isFalse();
  }

  @Test
  void without_the_variable_the_shipped_configuration_writes_plain_text() throws JoranException {
    System.clearProperty("PLANPERFECT_LOG_FORMAT");
    configure(getClass().getResource("/logback.xml"));

    LoggerFactory.getLogger("io.planperfect.JsonLogTest").info("a plain line");

    String line = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("a plain line")).findFirst()
        .orElseThrow();
    assertThat(line).doesNotStartWith("{").contains(" INFO ").endsWith("JsonLogTest - a plain line");
  }

  /**
   * Configures logback from the file, as at a start. why the status check: logback prints its whole
   * status report to stdout at start when the configuration gave a warning (an unreferenced appender).
   * A line another thread logs while the appender is being set up (a node of an earlier test still
   * stopping) is warned about too, and is no fault of the configuration: that one warning is passed over.
   */
  private static void configure(URL config) throws JoranException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    long since = System.currentTimeMillis();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    List<String> warnings = StatusUtil.filterStatusListByTimeThreshold(context.getStatusManager().getCopyOfStatusList(), since)
        .stream()
        .filter(status -> status.getLevel() >= Status.WARN)
        .map(Status::getMessage)
        .filter(message -> !message.startsWith("Attempted to append to non started appender"))
        .toList();
    assertThat(warnings).as("logback's warnings and errors after " + config).isEmpty();
  }
}
