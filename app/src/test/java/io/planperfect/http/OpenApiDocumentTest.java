package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.planperfect.PlanPerfectNode;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.generation.GenerationPipeline;
import io.planperfect.stages.pageperfect.PagePerfectPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's OpenAPI document ({@code /api/v1/openapi.json}) against the server it describes: it is an
 * OpenAPI 3.1 document, it holds every route of the route table and no route the server does not serve,
 * and the real answers of the main routes, errors too, match its schemas (JSON Schema 2020-12).
 */
class OpenApiDocumentTest {
  /**
   * Routes the document describes ahead of their merge: other branches of issue 19 are adding them. Each
   * may be absent from the server; once it is served, it must leave this list (a test below says so).
   */
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final String DOCUMENT_IRI = "https://planperfect.invalid/api/v1/openapi.json";

  /** One stage that completes, or fails for good when the payload says {"mode": "fail"}. */
  private static final PipelineDefinition DOCS = new PipelineDefinition("docs", "docs", List.of("docs"), List.of(
      new StageDefinition("work", context -> {
        if (context.jobPayload().path("mode").asText().equals("fail")) {
          throw new PermanentStageFailure("told to fail");
        }
        return StageOutcome.completed(Json.object().put("done", true));
      })));

  private static PlanPerfectNode node;
  private static Http anon;
  private static Http service;
  private static JsonNode document;
  private static SchemaRegistry schemas;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition(),
        PagePerfectPipeline.definition(new GuardedFetcher(FetchPolicy.defaults())), GenerationPipeline.definition(), DOCS)));
    anon = new Http(node.port(), TestNode.ANON_KEY);
    service = new Http(node.port(), TestNode.SERVICE_KEY);
    Http.Response served = new Http(node.port(), null).get("/api/v1/openapi.json");
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    assertThat(served.header("Content-Type").orElse("")).startsWith("application/json");
    document = served.json();
    schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(DOCUMENT_IRI, served.body())));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  // ------------------------------------------------------------------ the document itself

  @Test
  void the_document_is_openapi_3_1_with_answers_for_every_operation() {
    assertThat(document.path("openapi").asText()).matches("3\\.1\\.\\d+");
    assertThat(document.path("info").path("title").asText()).isNotBlank();
    assertThat(document.path("info").path("version").asText()).isNotBlank();
    List<String> problems = new ArrayList<>();
    Set<String> operationIds = new HashSet<>();
    document.path("paths").fields().forEachRemaining(path -> operations(path.getValue()).forEach(method -> {
      String where = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
      JsonNode operation = path.getValue().get(method);
      if (!operation.path("responses").isObject() || operation.path("responses").isEmpty()) {
        problems.add(where + " has no responses");
      }
      if (!operation.path("summary").isTextual()) {
        problems.add(where + " has no summary");
      }
      if (operation.has("operationId") && !operationIds.add(operation.get("operationId").asText())) {
        problems.add(where + " repeats operationId " + operation.get("operationId").asText());
      }
      undeclaredPathParameters(path.getKey(), path.getValue(), operation).forEach(p -> problems.add(where + " does not declare path parameter " + p));
    }));
    assertThat(problems).as("problems of the document").isEmpty();
  }

  @Test
  void every_reference_resolves_every_schema_compiles_and_no_field_is_left_empty() {
    List<String> problems = new ArrayList<>();
    references(document, problems);
    nullFields(document, "", problems);
    document.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
      try {
        schema("/components/schemas/" + name).validate("null", InputFormat.JSON);
      } catch (RuntimeException e) {
        problems.add("schema " + name + " does not compile: " + e.getMessage());
      }
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void every_route_of_the_route_table_is_in_the_document() {
    List<String> missing = node.routes().stream()
        .filter(route -> documentedOperations().stream().noneMatch(op -> op.matches(route)))
        .map(Route::key).sorted().toList();

    assertThat(missing)
        .as("routes the server serves that openapi/planperfect.yaml does not describe (add each under paths:)")
        .isEmpty();
  }

  @Test
  void every_route_in_the_document_is_served() {
    List<String> absent = documentedOperations().stream()
        .filter(op -> node.routes().stream().noneMatch(op::matches))
        .map(Operation::key).sorted().toList();

    assertThat(absent)
        .as("routes openapi/planperfect.yaml describes that the server's route table does not hold (remove them, or add the route)")
        .isEmpty();
  }

  @Test
  void each_served_operation_names_the_keys_of_its_route() {
    for (Route route : node.routes()) {
      var documented = documentedOperations().stream().filter(o -> o.matches(route)).findFirst();
      if (documented.isEmpty()) {
        continue; // every_route_of_the_route_table_is_in_the_document names it
      }
      Operation op = documented.get();
      JsonNode security = document.path("paths").path(op.path()).path(op.method()).path("security");
      Set<String> schemes = new TreeSet<>();
      security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
      Set<String> expected = new TreeSet<>();
      route.access().forEach(access -> expected.add(access == Access.ANON ? "anonKey" : "serviceKey"));
      assertThat(schemes).as(route.key()).containsAll(expected);
    }
  }

  // ------------------------------------------------------------------ real answers against the schemas

  @Test
  void intake_and_the_job_reads_answer_as_documented() {
    Http.Response accepted = anon.post("/api/v1/jobs", "{\"job_type\": \"docs\", \"payload\": {\"mode\": \"ok\"}}");
    answersAsDocumented("post", "/api/v1/jobs", accepted, 201);
    String id = accepted.json().path("job_id").asText();
    answersAsDocumented("post", "/functions/v1/content-intake", anon.post("/functions/v1/content-intake",
        "{\"job_type\": \"docs\", \"payload\": {\"mode\": \"ok\"}, \"priority\": \"HIGH\"}"), 201);
    awaitStatus(id, "completed");

    answersAsDocumented("get", "/api/v1/jobs/{id}", anon.get("/api/v1/jobs/" + id), 200);
    answersAsDocumented("get", "/api/v1/jobs", anon.get("/api/v1/jobs?limit=1"), 200);
    answersAsDocumented("get", "/api/v1/jobs/{id}/events", anon.get("/api/v1/jobs/" + id + "/events"), 200);
    answersAsDocumented("get", "/api/v1/jobs/{id}/payloads", anon.get("/api/v1/jobs/" + id + "/payloads"), 200);
    answersAsDocumented("get", "/rest/v1/content_jobs", anon.get("/rest/v1/content_jobs?status=eq.completed"), 200);
    answersAsDocumented("post", "/api/v1/jobs/{id}/cancel", anon.post("/api/v1/jobs/" + id + "/cancel", ""), 409);
  }

  @Test
  void a_dead_lettered_job_and_its_dead_letter_answer_as_documented() {
    String id = anon.post("/api/v1/jobs", "{\"job_type\": \"docs\", \"payload\": {\"mode\": \"fail\"}}").json().path("job_id").asText();
    awaitStatus(id, "failed");

    answersAsDocumented("get", "/api/v1/jobs/{id}", anon.get("/api/v1/jobs/" + id), 200);
    Http.Response letters = service.get("/api/v1/dead-letters");
    answersAsDocumented("get", "/api/v1/dead-letters", letters, 200);
    assertThat(letters.json()).isNotEmpty();
    String letter = letters.json().get(0).path("id").asText();
    answersAsDocumented("get", "/api/v1/dead-letters/{id}", service.get("/api/v1/dead-letters/" + letter), 200);
    answersAsDocumented("post", "/api/v1/dead-letters/{id}/discard", service.post("/api/v1/dead-letters/" + letter + "/discard", ""), 200);
  }

  @Test
  void batches_answer_as_documented() {
    Http.Response created = anon.post("/api/v1/batches", "[{\"job_type\": \"docs\", \"payload\": {\"mode\": \"ok\"}}]");
    answersAsDocumented("post", "/api/v1/batches", created, 201);
    String id = created.json().path("batch_id").asText();

    answersAsDocumented("get", "/api/v1/batches/{id}", anon.get("/api/v1/batches/" + id), 200);
    answersAsDocumented("get", "/api/v1/batches", anon.get("/api/v1/batches"), 200);
    answersAsDocumented("get", "/api/v1/pages", anon.get("/api/v1/pages"), 200);
  }

  @Test
  void stages_queues_and_the_scheduler_answer_as_documented() {
    answersAsDocumented("get", "/api/v1/stages", service.get("/api/v1/stages"), 200);
    answersAsDocumented("put", "/api/v1/stages/{queue}/{stage}", service.put("/api/v1/stages/docs/work", "{\"max_concurrency\": 4}"), 200);
    answersAsDocumented("get", "/api/v1/queues/{queue}/status", anon.get("/api/v1/queues/content/status"), 200);
    answersAsDocumented("get", "/api/v1/queues", service.get("/api/v1/queues"), 200);
    answersAsDocumented("get", "/api/v1/queues/{queue}/metrics", service.get("/api/v1/queues/content/metrics"), 200);
    answersAsDocumented("post", "/api/v1/sweeper/run", service.post("/api/v1/sweeper/run", ""), 200);
    answersAsDocumented("post", "/functions/v1/content-queue-dispatcher", service.post("/functions/v1/content-queue-dispatcher", ""), 200);
    answersAsDocumented("get", "/api/v1/scheduler/status", service.get("/api/v1/scheduler/status"), 200);
    answersAsDocumented("get", "/api/v1/scheduler/health", service.get("/api/v1/scheduler/health"), 200);
    answersAsDocumented("get", "/api/v1/scheduler/jobs", service.get("/api/v1/scheduler/jobs"), 200);
    answersAsDocumented("get", "/api/v1/scheduler/jobs/{name}", service.get("/api/v1/scheduler/jobs/content_pipeline_sweeper"), 200);
    answersAsDocumented("get", "/functions/v1/scheduler", service.get("/functions/v1/scheduler?action=health"), 200);
    answersAsDocumented("get", "/api/v1/usage", service.get("/api/v1/usage"), 200);
    answersAsDocumented("get", "/health", new Http(node.port(), null).get("/health"), 200);
  }

  @Test
  void a_scheduled_job_changed_and_cancelled_answers_as_documented() {
    Http.Response scheduled = anon.post("/api/v1/jobs", "{\"job_type\": \"docs\", \"payload\": {\"mode\": \"ok\"}, "
        + "\"scheduled_at\": \"" + java.time.Instant.now().plus(Duration.ofDays(1)) + "\"}");
    answersAsDocumented("post", "/api/v1/jobs", scheduled, 201);
    String id = scheduled.json().path("job_id").asText();

    answersAsDocumented("patch", "/api/v1/jobs/{id}", anon.patch("/api/v1/jobs/" + id, "{\"priority\": \"HIGH\"}"), 200);
    answersAsDocumented("post", "/api/v1/jobs/{id}/cancel", anon.post("/api/v1/jobs/" + id + "/cancel", ""), 200);
    answersAsDocumented("patch", "/api/v1/jobs/{id}", anon.patch("/api/v1/jobs/" + id, "{\"priority\": \"LOW\"}"), 409);
  }

  @Test
  void a_queue_round_trip_answers_as_documented() {
    String queue = "/api/v1/queues/openapi_docs";
    answersAsDocumented("post", "/api/v1/queues", service.post("/api/v1/queues", "{\"queue_name\": \"openapi_docs\"}"), 201);
    answersAsDocumented("post", "/api/v1/queues/{queue}/messages",
        service.post(queue + "/messages", "{\"messages\": [{\"stage\": \"s\", \"payload\": {\"n\": 1}}, {\"stage\": \"s\"}]}"), 201);
    Http.Response read = service.post(queue + "/read", "{\"stage\": \"s\", \"qty\": 2, \"vt\": 60}");
    answersAsDocumented("post", "/api/v1/queues/{queue}/read", read, 200);
    JsonNode first = read.json().get(0);
    String lease = "{\"msg_id\": " + first.path("msg_id") + ", \"lease\": \"" + first.path("lease").asText() + "\"";
    answersAsDocumented("post", "/api/v1/queues/{queue}/extend-visibility",
        service.post(queue + "/extend-visibility", lease + ", \"seconds\": 30}"), 200);
    answersAsDocumented("post", "/api/v1/queues/{queue}/archive", service.post(queue + "/archive", lease + "}"), 200);
    answersAsDocumented("post", "/api/v1/queues/{queue}/extend-visibility",
        service.post(queue + "/extend-visibility", lease + ", \"seconds\": 30}"), 409);
    answersAsDocumented("get", "/api/v1/queues/{queue}/archive", service.get(queue + "/archive"), 200);
    answersAsDocumented("post", "/api/v1/queues/{queue}/pop", service.post(queue + "/pop", "{}"), 200);
    answersAsDocumented("post", "/api/v1/queues/{queue}/purge", service.post(queue + "/purge", ""), 200);
    answersAsDocumented("delete", "/api/v1/queues/{queue}", service.delete(queue), 200);
    answersAsDocumented("get", "/api/v1/queues/{queue}/metrics", service.get(queue + "/metrics"), 404);
  }

  @Test
  void a_worker_endpoint_and_a_scheduler_trigger_answer_as_documented() {
    answersAsDocumented("post", "/functions/v1/{queue}-{stage}-worker", service.post("/functions/v1/docs-work-worker", ""), 204);
    answersAsDocumented("post", "/api/v1/scheduler/jobs/{name}/trigger",
        service.post("/api/v1/scheduler/jobs/content_pipeline_metrics/trigger", ""), 202);
    answersAsDocumented("get", "/api/v1/scheduler/jobs/{name}/runs", service.get("/api/v1/scheduler/jobs/content_pipeline_metrics/runs"), 200);
    answersAsDocumented("get", "/api/v1/scheduler/jobs/{name}", service.get("/api/v1/scheduler/jobs/no_such_job"), 404);
  }

  @Test
  void refusals_answer_with_the_documented_error_shape() {
    answersAsDocumented("get", "/api/v1/jobs", anon.get("/api/v1/jobs?limit=0"), 400);
    answersAsDocumented("post", "/api/v1/jobs", anon.post("/api/v1/jobs", "{\"job_type\": \"docs\", \"payload\": []}"), 400);
    answersAsDocumented("get", "/api/v1/jobs", new Http(node.port(), null).get("/api/v1/jobs"), 401);
    answersAsDocumented("get", "/api/v1/stages", anon.get("/api/v1/stages"), 403);
    answersAsDocumented("get", "/api/v1/jobs/{id}", anon.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000"), 404);
    answersAsDocumented("get", "/api/v1/dead-letters/{id}", service.get("/api/v1/dead-letters/999999"), 404);
  }

  // ------------------------------------------------------------------ the page

  @Test
  void the_docs_page_loads_swagger_ui_from_its_webjar() {
    Http.Response page = new Http(node.port(), null).get("/api/docs");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("/api/v1/openapi.json");
    Matcher assets = Pattern.compile("(?:src|href)=\"(/webjars/swagger-ui/[^\"]+)\"").matcher(page.body());
    List<String> urls = new ArrayList<>();
    while (assets.find()) {
      urls.add(assets.group(1));
    }
    assertThat(urls).anyMatch(u -> u.endsWith("swagger-ui-bundle.js")).anyMatch(u -> u.endsWith(".css"));
    for (String url : urls) {
      Http.Response asset = new Http(node.port(), null).get(url);
      assertThat(asset.status()).as(url).isEqualTo(200);
      assertThat(asset.body()).as(url).isNotEmpty();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** One operation of the document: a method (lower case, as OpenAPI writes it) and a path. */
  private record Operation(String method, String path) {
    String key() {
      return method.toUpperCase(Locale.ROOT) + " " + path;
    }

    boolean matches(Route route) {
      return route.method().name().equalsIgnoreCase(method) && OpenApiPaths.sameRoute(path, route.path());
    }
  }

  private static List<Operation> documentedOperations() {
    List<Operation> operations = new ArrayList<>();
    document.path("paths").fields().forEachRemaining(path ->
        operations(path.getValue()).forEach(method -> operations.add(new Operation(method, path.getKey()))));
    return operations;
  }

  private static List<String> operations(JsonNode pathItem) {
    List<String> methods = new ArrayList<>();
    pathItem.fieldNames().forEachRemaining(name -> {
      if (METHODS.contains(name)) {
        methods.add(name);
      }
    });
    return methods;
  }

  private static Set<String> undeclaredPathParameters(String path, JsonNode pathItem, JsonNode operation) {
    Set<String> templated = new TreeSet<>();
    Matcher names = Pattern.compile("\\{([^}]+)}").matcher(path);
    while (names.find()) {
      templated.add(names.group(1));
    }
    for (JsonNode parameters : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
      for (JsonNode parameter : parameters) {
        JsonNode p = resolve(parameter);
        if ("path".equals(p.path("in").asText())) {
          templated.remove(p.path("name").asText());
        }
      }
    }
    return templated;
  }

  private static void references(JsonNode node, List<String> problems) {
    if (node.isObject() && node.has("$ref")) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
        problems.add("unresolved $ref " + ref);
      }
    }
    node.elements().forEachRemaining(child -> references(child, problems));
  }

  /**
   * A field whose value is null outside enum, const, default and examples is a slip of the YAML: in a
   * flow mapping ({@code {description: a, b}}) a comma starts a new key.
   */
  private static void nullFields(JsonNode node, String where, List<String> problems) {
    node.fields().forEachRemaining(field -> {
      if (field.getValue().isNull() && !Set.of("enum", "const", "default", "example", "examples").contains(field.getKey())) {
        problems.add(where + "/" + field.getKey() + " is null (a comma in an unquoted flow-mapping value?)");
      }
    });
    node.fields().forEachRemaining(field -> nullFields(field.getValue(), where + "/" + field.getKey(), problems));
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        nullFields(node.get(i), where + "/" + i, problems);
      }
    }
  }

  private static JsonNode resolve(JsonNode node) {
    return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
  }

  private static String pointer(String... names) {
    StringBuilder pointer = new StringBuilder();
    for (String name : names) {
      pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }

  private static Schema schema(String pointer) {
    return schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer));
  }

  /**
   * The answer has the status expected, the document lists that status for the operation, and the body
   * matches the schema of the answer's media type (formats such as uuid and date-time asserted too).
   */
  private static void answersAsDocumented(String method, String path, Http.Response response, int status) {
    String where = method.toUpperCase(Locale.ROOT) + " " + path;
    assertThat(response.status()).as(where + " answered " + response.body()).isEqualTo(status);
    JsonNode operation = document.path("paths").path(path).path(method);
    assertThat(operation.isObject()).as(where + " is in the document").isTrue();
    JsonNode listed = operation.path("responses").path(String.valueOf(status));
    assertThat(listed.isMissingNode()).as(where + " documents status " + status).isFalse();
    String responsePointer = listed.has("$ref") ? listed.get("$ref").asText().substring(1)
        : pointer("paths", path, method, "responses", String.valueOf(status));
    JsonNode content = document.at(responsePointer).path("content");
    if (content.isMissingNode()) {
      assertThat(response.body()).as(where + " " + status + " is documented without a body").isEmpty();
      return;
    }
    String mediaType = response.header("Content-Type").orElse("").split(";")[0].trim();
    assertThat(content.has(mediaType)).as(where + " " + status + " documents " + mediaType + " (has " + content + ")").isTrue();
    JsonNode schemaNode = content.path(mediaType).path("schema");
    String schemaPointer = schemaNode.has("$ref") ? schemaNode.get("$ref").asText().substring(1)
        : responsePointer + pointer("content", mediaType, "schema");
    var errors = schema(schemaPointer).validate(response.body(), InputFormat.JSON,
        (execution, context) -> execution.executionConfig(config -> config.formatAssertionsEnabled(true)));
    assertThat(errors).as(where + " " + status + " against " + schemaPointer + ": " + response.body()).isEmpty();
  }

  private static void awaitStatus(String jobId, String status) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> anon.get("/api/v1/jobs/" + jobId).json().path("status").asText().equals(status));
  }
}
