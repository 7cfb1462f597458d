package io.planperfect.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The completion e-mail (issue 19 item 8): with PLANPERFECT_SMTP_URL set, a job that gave a
 * requester_email mails it when it ends, through the same at-least-once deliveries as callbacks (kind
 * {@code mail}), to an SMTP server inside this JVM (GreenMail on 127.0.0.1); the SMTP password is never
 * logged.
 */
class CompletionMailTest {
  private static final String PASSWORD = "smtp-Pa55word-never-logged";
  private static final PipelineDefinition WORK = new PipelineDefinition("work", "content", List.of("work"), List.of(
      new StageDefinition("research", context -> StageOutcome.completed(Json.object().put("done", true)))));

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", PASSWORD));

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private PlanPerfectNode node;
  private Http anon;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    // why DEBUG: the settings line and each delivery are logged at INFO, below the tests' WARN
    ((Logger) LoggerFactory.getLogger("io.planperfect")).setLevel(Level.DEBUG);
    node = TestNode.start(new PipelineRegistry(List.of(WORK)), Map.of(
        "PLANPERFECT_SMTP_URL", "smtp://mailer:" + PASSWORD + "@127.0.0.1:" + SMTP.getSmtp().getPort(),
        "PLANPERFECT_MAIL_FROM", "pipeline@planperfect.test",
        "PLANPERFECT_CALLBACK_POLL_MILLIS", "50"));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ((Logger) LoggerFactory.getLogger("io.planperfect")).setLevel(null);
  }

  private UUID submit(String email) {
    String requester = email == null ? "" : "\"requester_email\": \"" + email + "\", ";
    Http.Response response = anon.post("/api/v1/jobs", "{\"job_type\": \"work\", " + requester + "\"payload\": {}}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().path("job_id").asText());
  }

  @Test
  void a_completed_job_mails_its_requester_once_and_the_delivery_shows_sent() throws Exception {
    UUID job = submit("writer@example.com");

    assertThat(SMTP.waitForIncomingEmail(20_000, 1)).isTrue();
    MimeMessage mail = SMTP.getReceivedMessages()[0];
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("writer@example.com");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("pipeline@planperfect.test");
    assertThat(mail.getSubject()).isEqualTo("PlanPerfect job " + job + " completed");
    assertThat(GreenMailUtil.getBody(mail)).contains(job.toString()).contains("status: completed");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        anon.get("/api/v1/jobs/" + job + "/callbacks").json().path("deliveries").path(0).path("status").asText()
            .equals("delivered"));
    assertThat(anon.get("/api/v1/jobs/" + job + "/callbacks").json().path("deliveries").path(0).path("kind").asText())
        .isEqualTo("mail");
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
  }

  @Test
  void a_job_without_requester_email_sends_no_mail() {
    UUID job = submit(null);

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    assertThat(TestDatabase.count("select count(*) from callback_deliveries")).isZero();
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void the_smtp_password_is_never_logged() {
    submit("writer@example.com");
    assertThat(SMTP.waitForIncomingEmail(20_000, 1)).isTrue();

    // why a copy taken under the appender's lock: the node's threads go on logging (the delivery, the loops
    // at DEBUG) while the assertions read, and the appender's list is a plain ArrayList
    List<ILoggingEvent> logged;
    synchronized (logs) {
      logged = List.copyOf(logs.list);
    }
    assertThat(logged).isNotEmpty();
    assertThat(logged).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD));
    assertThat(logged).anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("smtp://mailer:***@127.0.0.1"));
  }
}
