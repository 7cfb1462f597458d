package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} against a server without job streams (an older node, a proxy that drops them): it polls
 * {@code GET /api/v1/jobs/{id}} until the job ends. The server here is a stub that answers the stream as
 * the API answers a route it does not have, and the job's reads with the next of a list of job states
 * (the last one again once the list is used up).
 */
class WatchPollingTest {
  private static final String ID = "6f1c2f7e-3a41-4d39-9a51-1f0b7c2d9e10";

  @TempDir Path workDir;

  private HttpServer server;
  private final AtomicInteger reads = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile List<String> states = List.of();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void without_a_stream_watch_polls_the_job_until_it_ends_and_exits_as_it_ended() throws Exception {
    states = List.of(job("processing", stage("research", "processing"), stage("generate", "pending")),
        job("processing", stage("research", "completed"), stage("generate", "pending")),
        job("completed", stage("research", "completed"), stage("generate", "completed")));

    CliProcess.Finished watch = watch();

    assertThat(watch.exit()).as(watch.toString()).isZero();
    assertThat(watch.out().strip()).isEqualTo("job " + ID + " completed: 2/2 stages");
    assertThat(requests).first().isEqualTo("GET /api/v1/jobs/" + ID + "/stream");
    assertThat(requests).filteredOn(r -> r.equals("GET /api/v1/jobs/" + ID)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(watch.err()).contains("research").contains("generate");
  }

  @Test
  void a_stage_waiting_to_retry_says_when_and_why_on_its_bar() throws Exception {
    String waiting = """
        {"stage": "research", "status": "error", "attempt_count": 1, "next_retry_at": "2026-12-07T02:10:15.649+00:00",
         "last_error": {"message": "fetch failed: host example.com does not resolve"}}""";
    states = List.of(job("queued", waiting, stage("generate", "pending")), job("queued", waiting, stage("generate", "pending")),
        job("cancelled", stage("research", "cancelled"), stage("generate", "cancelled")));

    CliProcess.Finished watch = watch();

    assertThat(watch.exit()).as(watch.toString()).isEqualTo(4);
    assertThat(watch.err()).contains("retrying at 02:10:15Z: fetch failed: host example.com does not resolve");
    assertThat(watch.out().strip()).isEqualTo("job " + ID + " cancelled: 0/2 stages");
  }

  private CliProcess.Finished watch() throws Exception {
    return new CliProcess(server.getAddress().getPort(), "any-key", workDir).run("watch", ID, "--interval", "50");
  }

  private static String job(String status, String... stages) {
    long done = List.of(stages).stream().filter(s -> s.contains("\"completed\"")).count();
    return """
        {"id": "%s", "status": "%s", "stage": "research", "stages": [%s],
         "progress": {"stages_total": %d, "stages_completed": %d, "stages_skipped": 0}}"""
        .formatted(ID, status, String.join(",", stages), stages.length, done);
  }

  private static String stage(String name, String status) {
    return "{\"stage\": \"%s\", \"status\": \"%s\", \"attempt_count\": 1}".formatted(name, status);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    requests.add(request);
    if (request.endsWith("/stream")) {
      send(exchange, 404, "{\"error\": \"not_found\", \"message\": \"no route " + request + "\"}");
    } else {
      List<String> now = states;
      send(exchange, 200, now.get(Math.min(reads.getAndIncrement(), now.size() - 1)));
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
