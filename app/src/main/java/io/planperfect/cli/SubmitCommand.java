package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.cli.client.ApiClient;
import io.planperfect.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code submit [TYPE]}: one job, {@code POST /api/v1/jobs}, from a JSON file ({@code --file}, the body
 * as the API takes it) and/or flags (which set or override its fields); prints the job's id, and with
 * {@code --watch} follows it as {@code watch} does. The server checks every field.
 */
@Command(name = "submit", description = "Submit a job to a running server and print its id.",
    footer = {"", "Examples:",
        "  planperfect submit article --title \"How to Build a Content Pipeline\" --keywords content,pipeline --watch",
        "  planperfect submit schema --title \"Tomato seed kit\"",
        "  planperfect submit pageperfect --url https://example.com/guide --keywords \"container gardening\"",
        "  planperfect submit generation --page-type product --target-url https://shop.example.com/p/kit --keywords tomato",
        "  planperfect submit --file job.json --priority HIGH"})
final class SubmitCommand implements Callable<Integer> {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,3}");

  @Mixin ServerOptions server;

  @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE",
      description = "The job_type: article, schema, pageperfect, generation (or any the server knows).")
  String jobType;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A JSON file with the job's body (job_type, payload, priority, ...).")
  Path file;

  @Option(names = "--title", description = "payload.title (article, schema).") String title;
  @Option(names = "--keywords", split = ",", paramLabel = "KEYWORD", description = "payload.keywords, comma-separated.")
  List<String> keywords;
  @Option(names = "--domain", description = "payload.domain (article).") String domain;
  @Option(names = "--word-count", description = "payload.word_count (article).") Integer wordCount;
  @Option(names = "--page-url", description = "payload.url (pageperfect: the page to audit).") String pageUrl;
  @Option(names = "--page-type", description = "payload.pageType (generation: product, category, landing, blog).") String pageType;
  @Option(names = "--target-url", description = "payload.targetUrl (generation).") String targetUrl;
  @Option(names = "--language", description = "payload.language (generation).") String language;
  @Option(names = {"-p", "--payload"}, paramLabel = "NAME=VALUE",
      description = "Any payload field (repeatable): NAME=TEXT, or NAME:=JSON for a number, boolean, list or object "
          + "(metadata.skuCount:=1200); a dotted name is nested; keywords=a;b is a list.")
  List<String> fields = new ArrayList<>();
  @Option(names = "--priority", description = "HIGH, NORMAL, LOW or a number from -100 to 100.") String priority;
  @Option(names = "--email", description = "requester_email.") String email;
  @Option(names = "--initial-stage", description = "Start at this stage (earlier ones are skipped).") String initialStage;
  @Option(names = "--max-attempts", description = "max_attempts (1-25).") Integer maxAttempts;
  @Option(names = "--retry-delay-seconds", description = "retry_delay_seconds (0-86400).") Integer retryDelay;
  @Option(names = "--watch", description = "Follow the job until it ends, as 'watch' does (and exit as it does).")
  boolean watch;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ApiClient api = server.client();
    JsonNode receipt = api.post("/api/v1/jobs", body());
    String id = receipt.path("job_id").asText();
    if (server.json) {
      JsonOutput.print(receipt);
    } else {
      System.out.println(id);
    }
    return watch ? new JobWatcher(api, server.json, Duration.ofMillis(500)).watch(id) : Exits.OK;
  }

  private ObjectNode body() throws IOException {
    ObjectNode body = file == null ? Json.object() : fromFile();
    ObjectNode payload = body.has("payload") && body.get("payload").isObject()
        ? (ObjectNode) body.get("payload") : body.putObject("payload");
    put(body, "job_type", jobType);
    put(body, "requester_email", email);
    put(body, "initial_stage", initialStage);
    if (priority != null) {
      body.set("priority", WHOLE_NUMBER.matcher(priority).matches()
          ? Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(priority)) : Json.MAPPER.getNodeFactory().textNode(priority));
    }
    if (maxAttempts != null) {
      body.put("max_attempts", maxAttempts);
    }
    if (retryDelay != null) {
      body.put("retry_delay_seconds", retryDelay);
    }
    put(payload, "title", title);
    put(payload, "domain", domain);
    put(payload, "url", pageUrl);
    put(payload, "pageType", pageType);
    put(payload, "targetUrl", targetUrl);
    put(payload, "language", language);
    if (wordCount != null) {
      payload.put("word_count", wordCount);
    }
    if (keywords != null) {
      ArrayNode list = payload.putArray("keywords");
      keywords.stream().map(String::trim).filter(k -> !k.isEmpty()).forEach(list::add);
    }
    fields.forEach(field -> PayloadField.put(payload, field));
    if (!body.has("job_type")) {
      throw new IllegalArgumentException("no job type: name one (submit article ...) or put job_type in --file");
    }
    return body;
  }

  private ObjectNode fromFile() throws IOException {
    JsonNode read;
    try {
      read = Json.read(Files.readString(file));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
    }
    if (!read.isObject()) {
      throw new IllegalArgumentException(file + " must hold one JSON object (a job body); for many jobs use 'batch'");
    }
    return (ObjectNode) read;
  }

  private static void put(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
