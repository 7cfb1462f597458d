package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * S5 at CI size: with every logger at DEBUG, bad input, the auth matrix's credentials and real jobs
 * leave neither key (raw, base64 or URL-encoded) in the logs, in any table or in any answer.
 */
class SecretsTest {
  private static final List<String> DEBUG_LOGGERS = List.of(Logger.ROOT_LOGGER_NAME, "io.planperfect", "io.javalin",
      "org.eclipse.jetty", "org.jdbi", "com.zaxxer.hikari", "org.flywaydb");

  /** Counts log events and keeps those that hold a secret (formatted message, arguments, throwable). */
  private static final class SecretScanner extends AppenderBase<ILoggingEvent> {
    final AtomicLong events = new AtomicLong();
    final List<String> hits = new ArrayList<>();
    final List<String> forms;

    SecretScanner(List<String> forms) {
      this.forms = forms;
    }

    @Override
    protected void append(ILoggingEvent event) {
      events.incrementAndGet();
      String text = event.getFormattedMessage() + " " + event.getMDCPropertyMap()
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      if (forms.stream().anyMatch(text::contains)) {
        synchronized (hits) {
          hits.add(event.getLoggerName() + ": " + text.substring(0, Math.min(300, text.length())));
        }
      }
    }
  }

  @Test
  void no_key_appears_in_logs_tables_or_answers() throws Exception {
    TestDatabase.clean();
    List<String> forms = forms(TestNode.SERVICE_KEY, TestNode.ANON_KEY);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<String, Level> levels = new HashMap<>();
    DEBUG_LOGGERS.forEach(name -> levels.put(name, context.getLogger(name).getLevel()));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    List<Appender<ILoggingEvent>> console = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      console.add(it.next());
    }
    SecretScanner scanner = new SecretScanner(forms);
    scanner.setContext(context);
    scanner.start();
    List<String> answers = new ArrayList<>();
    try {
      console.forEach(root::detachAppender);
      root.addAppender(scanner);
      DEBUG_LOGGERS.forEach(name -> context.getLogger(name).setLevel(Level.DEBUG));
      try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
          Map.of("PLANPERFECT_POLL_MILLIS", "100"))) {
        traffic(new Probe(node.port()), node, answers);
      }
    } finally {
      root.detachAppender(scanner);
      console.forEach(root::addAppender);
      levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
    List<String> tableHits = tableHits(forms);
    List<String> answerHits = answers.stream().filter(a -> forms.stream().anyMatch(a::contains)).toList();
    System.out.printf("S5 log_events=%d answers=%d tables_scanned=yes hits: logs=%d tables=%d answers=%d%n",
        scanner.events.get(), answers.size(), scanner.hits.size(), tableHits.size(), answerHits.size());

    assertThat(scanner.events.get()).as("DEBUG logging was on").isGreaterThan(50);
    assertThat(scanner.hits).as("log events holding a key").isEmpty();
    assertThat(tableHits).as("table rows holding a key").isEmpty();
    assertThat(answerHits).as("answers holding a key").isEmpty();
  }

  private static void traffic(Probe probe, PlanPerfectNode node, List<String> answers) throws InterruptedException {
    String job = "{\"job_type\": \"article\", \"payload\": {\"title\": \"Secrets\", \"keywords\": [\"k\"]}}";
    for (int i = 0; i < 5; i++) {
      record(answers, probe.send("POST", "/api/v1/jobs", json(TestNode.ANON_KEY), job));
    }
    record(answers, probe.send("POST", "/api/v1/jobs", json(TestNode.ANON_KEY),
        "{\"job_type\": \"article\", \"payload\": {\"title\": \"" + TestNode.ANON_KEY.substring(0, 4) + "\", \"keywords\": 7}}"));
    for (Route route : node.routes()) {
      String path = RoutePaths.probed(route);
      String method = route.method().name();
      String body = RoutePaths.BODY_METHODS.contains(method) ? "{\"bad\": " : null;
      for (Map<String, String> headers : List.of(json(TestNode.SERVICE_KEY), json(TestNode.ANON_KEY),
          json(TestNode.SERVICE_KEY + "x"), Map.of("X-API-Key", TestNode.SERVICE_KEY), Map.<String, String>of())) {
        record(answers, probe.send(method, path, headers, body));
      }
      record(answers, probe.send(method, path + "?apikey=" + TestNode.SERVICE_KEY, Map.of(), body));
    }
    for (var bad : BadInputTest.unparseable().entrySet()) {
      record(answers, probe.send("POST", "/functions/v1/content-intake", json(TestNode.SERVICE_KEY), bad.getValue()));
    }
    record(answers, probe.send("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "key=" + URLEncoder.encode(TestNode.SERVICE_KEY, StandardCharsets.UTF_8)));
    record(answers, probe.send("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "key=" + URLEncoder.encode(TestNode.SERVICE_KEY + "x", StandardCharsets.UTF_8)));
    long deadline = System.currentTimeMillis() + 20_000;
    while (TestDatabase.count("select count(*) from jobs where status in ('completed', 'failed')") < 5
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    record(answers, probe.send("GET", "/health", Map.of(), (String) null));
    // why once more at the end: the meters (requests by route, stage runs) now hold this run's traffic
    record(answers, probe.send("GET", "/metrics", json(TestNode.SERVICE_KEY), (String) null));
  }

  private static List<String> tableHits(List<String> forms) {
    List<String> tables = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select tablename from pg_tables where schemaname = 'public' order by 1").mapTo(String.class).list());
    List<String> hits = new ArrayList<>();
    for (String table : tables) {
      String rows = TestDatabase.jdbi().withHandle(h -> h.createQuery(
          "select coalesce(string_agg(t::text, E'\\n'), '') from \"" + table + "\" t").mapTo(String.class).one());
      forms.stream().filter(rows::contains).forEach(form -> hits.add(table + " holds " + form.substring(0, 6) + "…"));
    }
    return hits;
  }

  private static void record(List<String> answers, Probe.Answer answer) {
    answers.add(answer.status() + " " + answer.headers().map() + " " + answer.body());
  }

  private static Map<String, String> json(String key) {
    return Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
  }

  /** Each key raw, in base64 (standard and URL-safe, padded or not) and URL-encoded. */
  private static List<String> forms(String... keys) {
    List<String> forms = new ArrayList<>();
    for (String key : keys) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      forms.add(key);
      forms.add(Base64.getEncoder().encodeToString(bytes));
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
      forms.add(URLEncoder.encode(key, StandardCharsets.UTF_8));
    }
    return forms;
  }
}
