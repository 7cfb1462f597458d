package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S2 at CI size: every route of the route table (walked, not listed) gets malformed bodies, wrong
 * types, huge and deeply nested JSON, bad UUIDs and NUL bytes. Each answer is JSON and never a 5xx;
 * a route that reads a body refuses every bad one with 4xx; nothing is stored.
 */
class BadInputTest {
  private static final String STORED = """
      select (select count(*) from jobs) + (select count(*) from queue_messages) + (select count(*) from job_events)
           + (select count(*) from generation_batches) + (select count(*) from dead_letters)
           + (select count(*) from callback_deliveries)""";
  private static final String CONFIG = """
      select md5(coalesce((select string_agg(c::text, ',' order by queue, stage) from content_stage_config c), '')
               || coalesce((select string_agg(s::text, ',' order by name) from scheduler_jobs s), '')
               || coalesce((select string_agg(q.queue_name, ',' order by q.queue_name) from queues q), ''))""";

  private static PlanPerfectNode node;
  private static Probe probe;
  private static final List<Long> latencies = new ArrayList<>();
  private static int fiveHundreds;
  private static long heapBefore;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition())));
    probe = new Probe(node.port());
    heapBefore = usedHeapAfterGc();
  }

  @AfterAll
  static void stop() {
    long heapAfter = usedHeapAfterGc();
    node.close();
    System.out.printf("S2 heap before=%d MiB after=%d MiB (test JVM, server included)%n", heapBefore >> 20, heapAfter >> 20);
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length > 0) {
      System.out.printf("S2 requests=%d 5xx=%d p50=%.1fms p99=%.1fms max=%.1fms%n", sorted.length, fiveHundreds,
          sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }
  }

  private String configBefore;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    configBefore = configHash();
  }

  private static String configHash() {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(CONFIG).mapTo(String.class).one());
  }

  /** Intake: each of these must refuse every bad body, well-formed or not, with 4xx. */
  private static final Set<String> INTAKE = Set.of("POST /api/v1/jobs", "POST /functions/v1/content-intake", "POST /api/v1/batches");

  /** Bodies that are not JSON a parser may accept: every route that reads a body refuses them with 4xx. */
  static Map<String, byte[]> unparseable() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    text(bodies, "not JSON", "not json at all");
    text(bodies, "unterminated object", "{\"job_type\": \"article\"");
    text(bodies, "missing value", "{\"job_type\": }");
    text(bodies, "trailing comma", "{\"job_type\": \"article\",}");
    text(bodies, "bare number", "42");
    text(bodies, "bare string", "\"article\"");
    text(bodies, "NaN", "{\"priority\": NaN}");
    text(bodies, "duplicate keys", "{\"job_type\": \"article\", \"job_type\": \"schema\"}");
    text(bodies, "nesting depth 10,000", "[".repeat(10_000) + "]".repeat(10_000));
    text(bodies, "object nesting 10,000", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
    text(bodies, "a million digits", "{\"priority\": " + "9".repeat(1_000_000) + "}");
    text(bodies, "a 200 KB string", "{\"job_type\": \"" + "x".repeat(200_000) + "\"}");
    text(bodies, "raw NUL", "{\"job_type\": \"art\u0000icle\"}");
    bodies.put("invalid UTF-8", concat("{\"job_type\": \"", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, "\"}"));
    return bodies;
  }

  /** Well-formed JSON with wrong types, a polymorphic type tag or NUL characters: refused by intake, harmless anywhere. */
  static Map<String, byte[]> wellFormedButWrong() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    text(bodies, "null", "null");
    text(bodies, "an array", "[]");
    text(bodies, "wrong types", "{\"job_type\": 7, \"payload\": [], \"priority\": {\"x\": 1}, \"jobs\": \"x\","
        + " \"max_concurrency\": \"many\", \"enabled\": \"yes\", \"name\": 3, \"visibility_timeout\": \"soon\", \"qty\": -1}");
    text(bodies, "@class polymorphic", "{\"@class\": \"java.lang.ProcessBuilder\", \"command\": [\"touch\", \"/tmp/pp\"],"
        + " \"job_type\": [\"java.net.URL\", \"http://127.0.0.1:1/\"]}");
    text(bodies, "escaped NUL", "{\"job_type\": \"article\\u0000\", \"payload\": {\"title\": \"a\\u0000b\", \"keywords\": [\"k\\u0000\"]},"
        + " \"jobs\": [{\"job_type\": \"article\", \"payload\": {\"title\": \"\\u0000\", \"keywords\": [\"k\"]}}]}");
    text(bodies, "NUL in a job", "{\"job_type\": \"article\", \"payload\": {\"title\": \"a\\u0000b\", \"keywords\": [\"k\"]}}");
    return bodies;
  }

  @Test
  void every_route_answers_every_malformed_body_with_json_below_500_and_stores_nothing() {
    Set<String> readers = new TreeSet<>();
    for (Route route : bodyRoutes()) {
      String path = RoutePaths.plausible(route.path());
      boolean reads = readsJson(route, path);
      if (reads) {
        readers.add(route.key());
      }
      for (var bad : unparseable().entrySet()) {
        assertAnswer(route, path, bad.getKey(), bad.getValue(), reads);
      }
      for (var bad : wellFormedButWrong().entrySet()) {
        assertAnswer(route, path, bad.getKey(), bad.getValue(), INTAKE.contains(route.key()));
      }
      assertNothingStored(route.key());
    }
    assertThat(readers).as("routes that read a JSON body").contains("POST /api/v1/jobs", "POST /functions/v1/content-intake",
        "POST /api/v1/batches", "PATCH /api/v1/jobs/{id}", "PUT /api/v1/stages/{queue}/{stage}");
  }

  @Test
  void a_body_declared_as_another_type_than_json_is_refused_with_415_by_every_route_that_reads_json() {
    String job = "{\"job_type\": \"article\", \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]}}";
    for (Route route : bodyRoutes()) {
      String path = RoutePaths.plausible(route.path());
      if (!readsJson(route, path)) {
        continue;
      }
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
        Probe.Answer answer = send(route.method().name(), path, headers("Content-Type", type), job.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).as(route.key() + " as " + type + ": " + answer).isEqualTo(415);
      }
    }
    assertNothingStored("wrong Content-Type");
  }

  @Test
  void every_path_parameter_refuses_bad_uuids_nul_bytes_and_junk_with_4xx_json() {
    List<String> values = List.of("not-a-uuid", "%00", "0000%00", "12345678-1234-1234-1234-1234567890123",
        "'%20or%20'1'='1", "..%2F..%2Fetc", "x".repeat(2_000), "%F0%28%8C%28");
    int checked = 0;
    for (Route route : node.routes()) {
      if (!route.path().contains("{")) {
        continue;
      }
      for (String value : values) {
        Probe.Answer answer = send(route.method().name(), RoutePaths.fill(route.path(), value), json(), "{}".getBytes());

        String what = route.key() + " with " + value.substring(0, Math.min(40, value.length())) + ": " + answer;
        assertThat(answer.status()).as(what).isBetween(400, 499);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
    assertNothingStored("bad path parameters");
  }

  @Test
  void every_query_parameter_with_nul_bytes_or_junk_is_answered_below_500() {
    String query = "?limit=-1&offset=x&status=%00&id=eq.%00&cursor=%00&since=%00&pipeline=%00&stage=%00&q=%00"
        + "&priority=%00&batch=%00&created_after=%00&group_by=%00&action=%00&job=%00&all=%00&job_status=%00&batch_id=%00";
    for (Route route : node.routes()) {
      if (!route.method().name().equals("GET")) {
        continue;
      }
      Probe.Answer answer = send("GET", RoutePaths.plausible(route.path()) + query, bearer(), null);

      assertThat(answer.status()).as(route.key() + ": " + answer).isLessThan(500);
    }
    assertNothingStored("bad query parameters");
  }

  @Test
  void malformed_framing_is_refused_with_4xx_json_and_stores_nothing() {
    String job = "{\"job_type\": \"article\", \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]}}";
    String head = "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestNode.SERVICE_KEY
        + "\r\nContent-Type: application/json\r\nConnection: close\r\n";
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("negative Content-Length", head + "Content-Length: -5\r\n\r\n" + job);
    requests.put("non-numeric Content-Length", head + "Content-Length: ten\r\n\r\n" + job);
    requests.put("huge Content-Length", head + "Content-Length: 99999999999999\r\n\r\n" + job);
    requests.put("Content-Length longer than the body", head + "Content-Length: " + (job.length() + 50) + "\r\n\r\n" + job);
    requests.put("two Content-Lengths", head + "Content-Length: 3\r\nContent-Length: " + job.length() + "\r\n\r\n" + job);
    requests.put("unterminated chunked body", head + "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"job_type\": \"ar");
    requests.put("chunked with bad size", head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + job + "\r\n0\r\n\r\n");
    requests.put("no Content-Length, no chunking", head + "\r\n" + job);
    for (var request : requests.entrySet()) {
      Probe.RawAnswer answer = probe.raw(request.getValue().getBytes(StandardCharsets.ISO_8859_1));

      String what = request.getKey() + ": " + answer;
      assertThat(answer.status()).as(what).isBetween(400, 499);
      assertThat(answer.isJson()).as(what).isTrue();
    }
    assertNothingStored("malformed framing");
  }

  private static void assertAnswer(Route route, String path, String name, byte[] body, boolean mustRefuse) {
    Probe.Answer answer = send(route.method().name(), path, json(), body);

    String what = route.key() + " with " + name + ": " + answer;
    assertThat(answer.status()).as(what).isLessThan(500);
    if (mustRefuse) {
      assertThat(answer.status()).as(what).isBetween(400, 499);
      assertThat(answer.json().path("error").asText()).as(what).isNotBlank();
    }
  }

  /** Whether the route parses its body: it refuses one that is not JSON, naming the body. */
  private static boolean readsJson(Route route, String path) {
    Probe.Answer answer = send(route.method().name(), path, json(), "not json at all".getBytes(StandardCharsets.UTF_8));
    return answer.status() == 400 && answer.json().path("field").asText().equals("body");
  }

  @Test
  void a_thousand_more_bad_intakes_leave_the_service_healthy() {
    for (int round = 0; round < 40; round++) {
      for (byte[] body : unparseable().values()) {
        assertThat(send("POST", "/api/v1/jobs", json(), body).status()).isBetween(400, 499);
      }
      for (byte[] body : wellFormedButWrong().values()) {
        assertThat(send("POST", "/api/v1/jobs", json(), body).status()).isBetween(400, 499);
      }
    }
    assertNothingStored("1,000 bad intakes");
    assertThat(probe.send("GET", "/health", Map.of(), (String) null).status()).isEqualTo(200);
    assertThat(probe.send("POST", "/api/v1/jobs", json(),
        "{\"job_type\": \"article\", \"payload\": {\"title\": \"t\", \"keywords\": [\"k\"]}}").status()).isEqualTo(201);
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static List<Route> bodyRoutes() {
    return node.routes().stream().filter(r -> RoutePaths.BODY_METHODS.contains(r.method().name())).toList();
  }

  private static Probe.Answer send(String method, String path, Map<String, String> headers, byte[] body) {
    long started = System.nanoTime();
    Probe.Answer answer = probe.send(method, path, headers, body);
    latencies.add(System.nanoTime() - started);
    fiveHundreds += answer.status() >= 500 ? 1 : 0;
    if (answer.status() >= 400) {
      assertThat(answer.isJson()).as(method + " " + path + " answers JSON: " + answer).isTrue();
    }
    return answer;
  }

  private void assertNothingStored(String after) {
    assertThat(TestDatabase.count(STORED)).as("rows stored after " + after).isZero();
    assertThat(configHash()).as("stage config, scheduler jobs and queues after " + after).isEqualTo(configBefore);
  }

  private static Map<String, String> json() {
    return headers("Content-Type", "application/json");
  }

  private static Map<String, String> bearer() {
    return RoutePaths.bearer(TestNode.SERVICE_KEY);
  }

  private static Map<String, String> headers(String name, String value) {
    Map<String, String> headers = new HashMap<>(bearer());
    headers.put(name, value);
    return headers;
  }

  private static void text(Map<String, byte[]> bodies, String name, String body) {
    bodies.put(name, body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    byte[] a = before.getBytes(StandardCharsets.UTF_8);
    byte[] c = after.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[a.length + middle.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(middle, 0, all, a.length, middle.length);
    System.arraycopy(c, 0, all, a.length + middle.length, c.length);
    return all;
  }
}
